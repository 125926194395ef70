package org.bert4j.convert;

import org.bert4j.folder.SentenceTransformerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bert4j.convert.onnx.OnnxModel;

/**
 * Converts a BERT checkpoint into a Hugging Face model folder ({@code model.safetensors}, {@code config.json},
 * tokenizer files, sentence-transformers pooling files). The kind of source is detected:
 * <ul>
 *   <li>an {@code .onnx} file (its tokenizer.json, or {@code <name>-tokenizer.json}, or vocab.txt beside it);</li>
 *   <li>a jar holding {@code <name>.onnx} and {@code <name>-tokenizer.json} at its root (the langchain4j model jars);</li>
 *   <li>a folder with one of those, or with {@code pytorch_model.bin}, or with {@code *.safetensors} + config.json;</li>
 *   <li>a {@code pytorch_model.bin} or {@code .safetensors} file inside such a folder.</li>
 * </ul>
 * The output appears atomically: it is written to a temporary sibling folder and renamed at the end.
 */
public final class ModelConverter {

    private ModelConverter() {}

    /** Converts {@code source} into the folder {@code outDir} (which must not exist unless overwriting); returns it. */
    public static Path convert(Path source, Path outDir, ConvertOptions options) throws IOException {
        if (!Files.exists(source)) {
            throw new ConversionException(source + ": no such file or folder");
        }
        Path sourceDir = (Files.isDirectory(source) ? source : source.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        if (sourceDir.startsWith(outDir.toAbsolutePath().normalize())) {
            throw new ConversionException(outDir + ": the output folder may not contain (or be) the source " + source);
        }
        if (Files.isDirectory(source)) {
            return convertFolder(source, outDir, options);
        }
        String name = source.getFileName().toString();
        if (name.endsWith(".onnx")) {
            return convertOnnxFile(source, outDir, options);
        }
        if (name.endsWith(".jar") || name.endsWith(".zip") && !isTorchZip(source)) {
            return convertJar(source, outDir, options);
        }
        if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".zip")) {
            return HfFolderConversion.convertTorch(source, outDir, options);
        }
        if (name.endsWith(".safetensors")) {
            return HfFolderConversion.convertSafetensors(source.toAbsolutePath().getParent(), outDir, options);
        }
        throw new ConversionException(source + ": unknown checkpoint kind (expected .onnx, a jar with an .onnx, "
                + "pytorch_model.bin, .safetensors, or a folder holding one of them)");
    }

    private static Path convertFolder(Path dir, Path outDir, ConvertOptions options) throws IOException {
        List<Path> safetensors = list(dir, ".safetensors");
        if (!safetensors.isEmpty()) {
            return HfFolderConversion.convertSafetensors(dir, outDir, options);
        }
        if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
            return HfFolderConversion.convertTorch(dir.resolve("pytorch_model.bin"), outDir, options);
        }
        List<Path> onnx = list(dir, ".onnx");
        if (onnx.isEmpty() && Files.isDirectory(dir.resolve("onnx"))) {
            onnx = list(dir.resolve("onnx"), ".onnx");
        }
        if (onnx.size() == 1) {
            return convertOnnxFile(onnx.getFirst(), outDir, options);
        }
        if (onnx.size() > 1) {
            throw new ConversionException(dir + ": holds several .onnx files " + onnx.stream().map(p -> p.getFileName().toString()).toList()
                    + "; name the one to convert");
        }
        throw new ConversionException(dir + ": no model.safetensors, pytorch_model.bin or .onnx file in this folder");
    }

    private static Path convertOnnxFile(Path onnxFile, Path outDir, ConvertOptions options) throws IOException {
        TokenizerSource tokenizer = tokenizerBeside(onnxFile);
        try (OnnxModel model = OnnxModel.read(onnxFile)) {
            ImportedModel imported = OnnxConversion.read(model, options);
            return AtomicFolder.create(outDir, options.overwrite(),
                    dir -> OnnxConversion.write(dir, imported, tokenizer, null, options));
        }
    }

    /** The tokenizer that belongs to an ONNX file: tokenizer.json, {@code <stem>-tokenizer.json}, or vocab.txt beside it. */
    private static TokenizerSource tokenizerBeside(Path onnxFile) throws IOException {
        Path dir = onnxFile.toAbsolutePath().getParent();
        String stem = onnxFile.getFileName().toString().replaceFirst("\\.onnx$", "");
        List<Path> candidates = List.of(dir.resolve(stem + "-tokenizer.json"), dir.resolve("tokenizer.json"),
                dir.getParent() == null ? dir.resolve("tokenizer.json") : dir.getParent().resolve("tokenizer.json"));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return TokenizerSource.Json.parse(c.toString(), Files.readAllBytes(c));
            }
        }
        for (Path d : List.of(dir, dir.getParent() == null ? dir : dir.getParent())) {
            if (Files.isRegularFile(d.resolve("vocab.txt"))) {
                Path config = d.resolve("tokenizer_config.json");
                return new TokenizerSource.VocabFile(d.resolve("vocab.txt"), Files.isRegularFile(config) ? config : null);
            }
        }
        throw new ConversionException(onnxFile + ": no tokenizer found beside it (looked for " + stem
                + "-tokenizer.json, tokenizer.json and vocab.txt); a model folder needs its vocabulary");
    }

    private static Path convertJar(Path jar, Path outDir, ConvertOptions options) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> onnx = new ArrayList<>();
            zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".onnx") && !n.contains("/")).forEach(onnx::add);
            if (onnx.size() != 1) {
                throw new ConversionException(jar + ": expected exactly one .onnx file at the root of the jar, found " + onnx);
            }
            String stem = onnx.getFirst().replaceFirst("\\.onnx$", "");
            ZipEntry tokenizerEntry = zip.getEntry(stem + "-tokenizer.json");
            if (tokenizerEntry == null) {
                tokenizerEntry = zip.getEntry("tokenizer.json");
            }
            if (tokenizerEntry == null) {
                throw new ConversionException(jar + ": has " + onnx.getFirst() + " but no " + stem + "-tokenizer.json or tokenizer.json");
            }
            byte[] tokenizerJson;
            try (InputStream in = zip.getInputStream(tokenizerEntry)) {
                tokenizerJson = in.readAllBytes();
            }
            byte[] model;
            try (InputStream in = zip.getInputStream(zip.getEntry(onnx.getFirst()))) {
                model = in.readAllBytes();
            }
            String source = jar.getFileName() + "!/" + onnx.getFirst();
            return convertOnnx(source, model, source.replace(".onnx", "-tokenizer.json"), tokenizerJson,
                    BundledModels.knownPooling(stem), outDir, options, dir -> {});
        }
    }

    /** ONNX bytes + tokenizer.json bytes (e.g. classpath resources) → model folder. */
    static Path convertOnnx(String source, byte[] onnx, String tokenizerSource, byte[] tokenizerJson, SentenceTransformerConfig pooling,
                            Path outDir, ConvertOptions options, AtomicFolder.Content extra) throws IOException {
        TokenizerSource tokenizer = TokenizerSource.Json.parse(tokenizerSource, tokenizerJson);
        try (OnnxModel model = OnnxModel.read(source, onnx)) {
            ImportedModel imported = OnnxConversion.read(model, options);
            return AtomicFolder.create(outDir, options.overwrite(), dir -> {
                OnnxConversion.write(dir, imported, tokenizer, pooling, options);
                extra.writeInto(dir);
            });
        }
    }

    private static boolean isTorchZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        }
    }
}
