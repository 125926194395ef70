package org.bert4j.folder;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The sentence-transformers modules of an embedding model folder, read and written in one place: the Transformer
 * (the folder itself), {@code 1_Pooling/config.json}, the {@code 2_Normalize} module when vectors are
 * L2-normalised ({@code modules.json} lists them), and {@code sentence_bert_config.json}'s {@code max_seq_length}.
 *
 * @param pooling      how token vectors become one sentence vector
 * @param normalize    whether sentence vectors are L2-normalised
 * @param maxSeqLength the length the model was trained with, in tokens; 0 when unknown
 */
public record SentenceTransformerConfig(Pooling pooling, boolean normalize, int maxSeqLength) {

    /** Checks the fields. */
    public SentenceTransformerConfig {
        if (pooling == null) {
            throw new IllegalArgumentException("pooling must not be null");
        }
        if (maxSeqLength < 0) {
            throw new IllegalArgumentException("maxSeqLength must be >= 0 (0 = unknown), got " + maxSeqLength);
        }
    }

    /**
     * The pooling {@code dir/1_Pooling/config.json} declares, or empty when the folder has none. A file that asks
     * for a mode this engine lacks (or several at once) is an error naming it.
     */
    public static Optional<Pooling> readPooling(Path dir) throws IOException {
        Path file = dir.resolve("1_Pooling").resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonObject json = Json.readObject(file);
        List<Pooling> modes = new ArrayList<>();
        if (flag(json, "pooling_mode_cls_token")) {
            modes.add(Pooling.CLS);
        }
        if (flag(json, "pooling_mode_mean_tokens")) {
            modes.add(Pooling.MEAN);
        }
        if (flag(json, "pooling_mode_max_tokens")) {
            modes.add(Pooling.MAX);
        }
        for (String unsupported : List.of("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                "pooling_mode_lasttoken")) {
            if (flag(json, unsupported)) {
                throw new IOException(file + ": " + unsupported + " is not supported (cls, mean and max are)");
            }
        }
        if (modes.size() > 1) {
            throw new IOException(file + ": several pooling modes at once " + modes + " are not supported");
        }
        if (modes.isEmpty()) {
            throw new IOException(file + ": no pooling mode is set (pooling_mode_cls_token / _mean_tokens / _max_tokens)");
        }
        return Optional.of(modes.getFirst());
    }

    /**
     * The Pooling module's {@code include_prompt} ({@code dir/1_Pooling/config.json}): false when the prompt's tokens
     * must be left out of the pooled vector (INSTRUCTOR-style models); true when the file or the field is absent, as
     * sentence-transformers defaults it.
     */
    public static boolean readIncludePrompt(Path dir) throws IOException {
        Path file = dir.resolve("1_Pooling").resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return true;
        }
        JsonElement value = Json.readObject(file).get("include_prompt");
        if (value == null || value.isJsonNull()) {
            return true;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw new IOException(file + ": include_prompt must be true or false, got " + value);
        }
        return value.getAsBoolean();
    }

    /**
     * Whether the folder declares sentence-transformers' Normalize module (a {@code 2_Normalize} folder, or the
     * module listed in {@code modules.json}).
     */
    public static boolean readNormalize(Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve("2_Normalize"))) {
            return true;
        }
        Path modules = dir.resolve("modules.json");
        return Files.isRegularFile(modules)
                && Files.readString(modules, StandardCharsets.UTF_8).contains("sentence_transformers.models.Normalize");
    }

    /**
     * {@code max_seq_length} from {@code dir/sentence_bert_config.json}, or empty when the file or the field is
     * absent. It must be a whole number of at least 2 tokens ([CLS] and [SEP]).
     */
    public static OptionalInt readMaxSeqLength(Path dir) throws IOException {
        Path file = dir.resolve("sentence_bert_config.json");
        if (!Files.isRegularFile(file)) {
            return OptionalInt.empty();
        }
        JsonObject json = Json.readObject(file);
        JsonElement value = json.get("max_seq_length");
        if (value == null || value.isJsonNull()) {
            return OptionalInt.empty();
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double length = value.getAsDouble();
            if (length >= 2 && length <= Integer.MAX_VALUE && length == Math.rint(length)) {
                return OptionalInt.of((int) length);
            }
        }
        throw new IOException(file + ": max_seq_length must be a whole number of at least 2 tokens ([CLS] and [SEP]),"
                + " got " + value);
    }

    /**
     * Writes the modules into {@code dir} exactly as sentence-transformers saves them: {@code modules.json},
     * {@code 1_Pooling/config.json}, {@code 2_Normalize/} when vectors are normalised, and
     * {@code sentence_bert_config.json} when the sequence length is known.
     */
    public void write(Path dir, int hiddenSize) throws IOException {
        JsonArray modules = new JsonArray();
        modules.add(module(0, "", "sentence_transformers.models.Transformer"));
        modules.add(module(1, "1_Pooling", "sentence_transformers.models.Pooling"));
        if (normalize) {
            modules.add(module(2, "2_Normalize", "sentence_transformers.models.Normalize"));
            Files.createDirectories(dir.resolve("2_Normalize"));
        }
        Json.write(dir.resolve("modules.json"), modules);
        JsonObject config = new JsonObject();
        config.addProperty("word_embedding_dimension", hiddenSize);
        config.addProperty("pooling_mode_cls_token", pooling == Pooling.CLS);
        config.addProperty("pooling_mode_mean_tokens", pooling == Pooling.MEAN);
        config.addProperty("pooling_mode_max_tokens", pooling == Pooling.MAX);
        config.addProperty("pooling_mode_mean_sqrt_len_tokens", false);
        config.addProperty("pooling_mode_weightedmean_tokens", false);
        config.addProperty("pooling_mode_lasttoken", false);
        config.addProperty("include_prompt", true);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Json.write(dir.resolve("1_Pooling").resolve("config.json"), config);
        if (maxSeqLength > 0) {
            JsonObject st = new JsonObject();
            st.addProperty("max_seq_length", maxSeqLength);
            st.addProperty("do_lower_case", false);
            Json.write(dir.resolve("sentence_bert_config.json"), st);
        }
    }

    private static JsonObject module(int idx, String path, String type) {
        JsonObject m = new JsonObject();
        m.addProperty("idx", idx);
        m.addProperty("name", Integer.toString(idx));
        m.addProperty("path", path);
        m.addProperty("type", type);
        return m;
    }

    private static boolean flag(JsonObject json, String field) {
        JsonElement e = json.get(field);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }
}
