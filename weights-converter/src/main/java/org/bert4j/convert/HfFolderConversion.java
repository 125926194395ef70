package org.bert4j.convert;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bert4j.convert.torch.TorchCheckpoint;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;
import org.bert4j.safetensors.Tensor;

/**
 * A Hugging Face folder (config.json + pytorch_model.bin or *.safetensors + tokenizer files) → model folder in our
 * layout: weights under BertModel names (a "bert." prefix dropped, the position_ids buffer dropped, TensorFlow's
 * LayerNorm gamma/beta renamed, other heads' tensors such as classifier.* kept), optionally widened to F32;
 * config.json completed and checked against the weights, a task head's classifier against its labels
 * ({@link TaskHeadLayout}); tokenizer and sentence-transformers files carried over. Where transformers' loading
 * tolerates something (those renames, unused tensors, a missing pooler, a vocabulary longer than the embedding
 * matrix), so does this, with a warning through {@link ConvertOptions#warnings()}.
 */
final class HfFolderConversion {

    private HfFolderConversion() {}

    static Path convertTorch(Path bin, Path outDir, ConvertOptions options) throws IOException {
        Path dir = bin.toAbsolutePath().getParent();
        List<Path> shards = shards(dir, bin, "pytorch_model.bin.index.json");
        options.progress().progress("reading", 0, shards.size());
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            tensors.addAll(TorchCheckpoint.read(shards.get(i)));
            options.progress().progress("reading", i + 1, shards.size());
        }
        return convert(dir, bin.toString(), tensors, outDir, options);
    }

    static Path convertSafetensors(Path dir, Path outDir, ConvertOptions options) throws IOException {
        List<Path> files;
        if (Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
            files = shards(dir, null, "model.safetensors.index.json");
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            }
        }
        List<SafetensorsFile> open = new ArrayList<>();
        try {
            List<Tensor> tensors = new ArrayList<>();
            for (Path f : files) {
                SafetensorsFile st = SafetensorsFile.open(f);
                open.add(st);
                for (TensorInfo t : st.tensors()) {
                    tensors.add(new Tensor(t.name(), t.dtype(), t.shape(), st.segment(t.name())));
                }
            }
            return convert(dir, dir.toString(), tensors, outDir, options);
        } finally {
            for (SafetensorsFile st : open) {
                st.close();
            }
        }
    }

    /** The checkpoint files: the one given, or every shard an index.json names. */
    private static List<Path> shards(Path dir, Path single, String indexName) throws ConversionException {
        Path index = dir.resolve(indexName);
        if (single != null && Files.isRegularFile(single) && !Files.isRegularFile(index)) {
            return List.of(single);
        }
        if (!Files.isRegularFile(index)) {
            return single == null ? List.of() : List.of(single);
        }
        JsonObject json = readJson(index);
        JsonElement map = json.get("weight_map");
        if (map == null || !map.isJsonObject()) {
            throw new ConversionException(index + ": no weight_map");
        }
        Set<Path> files = new LinkedHashSet<>();
        for (Map.Entry<String, JsonElement> e : map.getAsJsonObject().entrySet()) {
            String name = e.getValue().getAsString();
            Path shard = dir.resolve(name).normalize();
            if (!shard.startsWith(dir.normalize()) || !Files.isRegularFile(shard)) {
                throw new ConversionException(index + ": shard '" + name + "' of " + e.getKey() + " is missing or outside the folder");
            }
            files.add(shard);
        }
        return List.copyOf(files);
    }

    private static Path convert(Path dir, String source, List<Tensor> raw, Path outDir, ConvertOptions options) throws IOException {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        List<String> fromTensorFlow = new ArrayList<>();
        for (Tensor t : raw) {
            String name = t.name().startsWith("bert.") ? t.name().substring("bert.".length()) : t.name();
            if (name.equals("embeddings.position_ids")) {
                // A buffer holding 0..n-1, not a parameter; transformers drops it without a word, and so do we.
                continue;
            }
            String modern = BertLayout.modernName(name);
            if (!modern.equals(name)) {
                fromTensorFlow.add(name);
                name = modern;
            }
            Tensor renamed = name.equals(t.name()) ? t : new Tensor(name, t.dtype(), t.shape(), t.data());
            if (byName.put(name, renamed) != null) {
                throw new ConversionException(source + ": two tensors are named " + name
                        + " (with and without the 'bert.' prefix, or as gamma/beta and weight/bias?)");
            }
        }
        // Said once every check has passed: a refusal should not come after a screen of warnings.
        List<String> warnings = new ArrayList<>();
        if (!fromTensorFlow.isEmpty()) {
            warnings.add(source + ": renamed " + fromTensorFlow.size() + " LayerNorm parameters from TensorFlow's "
                    + "gamma/beta to weight/bias, as transformers does when loading: " + BertLayout.listed(fromTensorFlow));
        }
        BertLayout.Dimensions dims = BertLayout.check(source, byName);
        JsonObject config = config(dir, dims, options);
        TaskHeadLayout.check(dir.resolve("config.json"), source, config, byName, dims.hiddenSize());
        List<String> unused = new ArrayList<>(BertLayout.notInBertModel(byName.keySet()));
        if (TaskHeadLayout.declaresHead(config)) {
            unused.removeAll(List.of("classifier.weight", "classifier.bias")); // the task head, checked above
        }
        if (!unused.isEmpty()) {
            // transformers: "Some weights of the model checkpoint were not used when initializing BertModel".
            warnings.add(source + ": " + unused.size() + " tensors are not part of BertModel (another model's "
                    + "head, such as the masked-LM head): kept in model.safetensors, unused by the engine: "
                    + BertLayout.listed(unused));
        }
        if (!byName.containsKey("pooler.dense.weight")) {
            // transformers initializes a missing pooler at random (and says so); a converted folder simply has none.
            warnings.add(source + ": no pooler.dense weights (a token-classification or masked-LM checkpoint "
                    + "has none): the model gives no pooler output; mean and CLS pooling of the hidden states are unaffected");
        }
        TokenizerSource tokenizer = tokenizer(dir);
        VocabularyFit.check(tokenizer.describe(), tokenizer.vocabSize(), dims.vocabSize(), warnings::add);
        warnings.forEach(options.warnings());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("converted_by", "bert4j");
        metadata.put("source", Path.of(source).getFileName().toString());
        List<Tensor> tensors = List.copyOf(byName.values());
        return AtomicFolder.create(outDir, options.overwrite(), out -> {
            ModelFolder.writeWeights(out, tensors, metadata, options);
            ModelFolder.writeJson(out.resolve("config.json"), config);
            writeTokenizer(dir, out, tokenizer, config.get("max_position_embeddings").getAsInt());
            if (options.pooling() != null) {
                options.pooling().write(out, dims.hiddenSize());
            } else {
                copySentenceTransformers(dir, out);
            }
            // sentence-transformers v5 keeps a cross-encoder's activation_fn (and a model's prompts) here
            Path stConfig = dir.resolve("config_sentence_transformers.json");
            if (Files.isRegularFile(stConfig)) {
                Files.copy(stConfig, out.resolve(stConfig.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    /** The source's config.json, checked against the weights and completed with BertConfig's defaults. */
    private static JsonObject config(Path dir, BertLayout.Dimensions dims, ConvertOptions options) throws ConversionException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ConversionException(dir + ": no config.json beside the weights; the number of attention heads (among others) "
                    + "cannot be read from weight shapes");
        }
        JsonObject config = readJson(file);
        checkOrFill(file, config, "vocab_size", dims.vocabSize());
        checkOrFill(file, config, "hidden_size", dims.hiddenSize());
        checkOrFill(file, config, "num_hidden_layers", dims.layers());
        checkOrFill(file, config, "intermediate_size", dims.intermediateSize());
        checkOrFill(file, config, "max_position_embeddings", dims.maxPositions());
        checkOrFill(file, config, "type_vocab_size", dims.typeVocabSize());
        JsonElement heads = config.get("num_attention_heads");
        if (heads == null) {
            if (options.numAttentionHeads() == 0) {
                throw new ConversionException(file + ": has no num_attention_heads; give it explicitly (--heads N)");
            }
            config.addProperty("num_attention_heads", options.numAttentionHeads());
        } else if (options.numAttentionHeads() != 0 && heads.getAsInt() != options.numAttentionHeads()) {
            throw new ConversionException(file + ": num_attention_heads is " + heads.getAsInt() + ", which --heads "
                    + options.numAttentionHeads() + " contradicts");
        }
        int h = config.get("num_attention_heads").getAsInt();
        if (h <= 0 || dims.hiddenSize() % h != 0) {
            throw new ConversionException(file + ": hidden size " + dims.hiddenSize() + " is not divisible by " + h + " heads");
        }
        if (!config.has("model_type")) {
            config.addProperty("model_type", "bert");
        }
        if (!config.has("hidden_act")) {
            config.addProperty("hidden_act", "gelu");
        }
        if (!config.has("layer_norm_eps")) {
            config.addProperty("layer_norm_eps", 1e-12);
        }
        if (!config.has("pad_token_id")) {
            config.addProperty("pad_token_id", 0);
        }
        return config;
    }

    private static void checkOrFill(Path file, JsonObject config, String key, int fromWeights) throws ConversionException {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            config.addProperty(key, fromWeights);
        } else if (e.getAsInt() != fromWeights) {
            throw new ConversionException(file + ": " + key + " is " + e.getAsInt() + " but the weights say " + fromWeights);
        }
    }

    private static TokenizerSource tokenizer(Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            return TokenizerSource.Json.parse(json.toString(), Files.readAllBytes(json));
        }
        if (Files.isRegularFile(dir.resolve("vocab.txt"))) {
            Path config = dir.resolve("tokenizer_config.json");
            return new TokenizerSource.VocabFile(dir.resolve("vocab.txt"), Files.isRegularFile(config) ? config : null);
        }
        throw new ConversionException(dir + ": no tokenizer.json or vocab.txt; a model folder needs its vocabulary");
    }

    /** The derived tokenizer files, except where the source has its own (which are copied unchanged). */
    private static void writeTokenizer(Path dir, Path out, TokenizerSource tokenizer, int modelMaxLength) throws IOException {
        tokenizer.writeInto(out, modelMaxLength);
        for (String file : List.of("vocab.txt", "tokenizer_config.json", "special_tokens_map.json")) {
            if (Files.isRegularFile(dir.resolve(file))) {
                Files.copy(dir.resolve(file), out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** modules.json, sentence_bert_config.json and the module folders modules.json names (Pooling, Normalize ...). */
    private static void copySentenceTransformers(Path dir, Path out) throws IOException {
        Path modules = dir.resolve("modules.json");
        if (!Files.isRegularFile(modules)) {
            return;
        }
        Files.copy(modules, out.resolve("modules.json"));
        if (Files.isRegularFile(dir.resolve("sentence_bert_config.json"))) {
            Files.copy(dir.resolve("sentence_bert_config.json"), out.resolve("sentence_bert_config.json"));
        }
        JsonElement list;
        try {
            list = JsonParser.parseString(Files.readString(modules, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new ConversionException(modules + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!list.isJsonArray()) {
            throw new ConversionException(modules + ": not a JSON list of modules");
        }
        for (JsonElement m : (JsonArray) list) {
            String path = m.isJsonObject() && m.getAsJsonObject().has("path") ? m.getAsJsonObject().get("path").getAsString() : "";
            if (path.isEmpty()) {
                continue;
            }
            Path from = dir.resolve(path).normalize();
            Path to = out.resolve(path).normalize();
            if (!from.startsWith(dir.normalize()) || !to.startsWith(out.normalize())) {
                throw new ConversionException(modules + ": module path '" + path + "' leaves the model folder");
            }
            Files.createDirectories(to); // Normalize has no files: git does not even keep its empty folder
            if (Files.isDirectory(from)) {
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path f : files.toList()) {
                        Path target = to.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
    }

    private static JsonObject readJson(Path file) throws ConversionException {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new ConversionException(file + ": not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new ConversionException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
    }
}
