package org.bert4j.folder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model folder's {@code config_sentence_transformers.json} tells sentence-transformers' {@code encode} and
 * {@code similarity}: named prompts (e5's {@code "query": "query: "}), the prompt used when none is named, and the
 * similarity function. A folder without the file has none of them.
 *
 * @param prompts          prompt name → text prepended to every input, in the file's order (unmodifiable)
 * @param defaultPromptName the prompt {@code encode} applies when given none; null for none
 * @param similarityFnName "cosine", "dot", "euclidean" or "manhattan"; null when the file leaves it out (cosine)
 */
public record EncodeConfig(Map<String, String> prompts, String defaultPromptName, String similarityFnName) {

    /** The file's name in a model folder. */
    public static final String FILE = "config_sentence_transformers.json";

    /** The similarity functions sentence-transformers' {@code SimilarityFunction} accepts ("dot_product" = "dot"). */
    public static final List<String> SIMILARITY_FUNCTIONS = List.of("cosine", "dot", "dot_product", "euclidean", "manhattan");

    /** No prompts, no default prompt, no similarity function: what a folder without the file means. */
    public static final EncodeConfig NONE = new EncodeConfig(Map.of(), null, null);

    /** Checks the fields and freezes the map. */
    public EncodeConfig {
        if (prompts == null) {
            throw new IllegalArgumentException("prompts must not be null (empty for none)");
        }
        prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
        if (similarityFnName != null && !SIMILARITY_FUNCTIONS.contains(similarityFnName)) {
            throw new IllegalArgumentException("unknown similarity function \"" + similarityFnName + "\"; expected one of "
                    + SIMILARITY_FUNCTIONS);
        }
    }

    /**
     * Reads {@code dir/config_sentence_transformers.json}; {@link #NONE} when the folder has no such file. A field of
     * the wrong type, or an unknown similarity function, is an error naming the file and the field.
     */
    public static EncodeConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        JsonObject json = Json.readObject(file);
        Map<String, String> prompts = new LinkedHashMap<>();
        JsonElement p = json.get("prompts");
        if (p != null && !p.isJsonNull()) {
            if (!p.isJsonObject()) {
                throw new IOException(file + ": \"prompts\" must be an object of name → text, got " + p);
            }
            for (Map.Entry<String, JsonElement> e : p.getAsJsonObject().entrySet()) {
                if (!isString(e.getValue())) {
                    throw new IOException(file + ": prompt \"" + e.getKey() + "\" must be a string, got " + e.getValue());
                }
                prompts.put(e.getKey(), e.getValue().getAsString());
            }
        }
        String defaultPromptName = optionalString(json, "default_prompt_name", file);
        String similarity = optionalString(json, "similarity_fn_name", file);
        if (similarity != null && !SIMILARITY_FUNCTIONS.contains(similarity)) {
            throw new IOException(file + ": similarity_fn_name \"" + similarity + "\" is not one of " + SIMILARITY_FUNCTIONS);
        }
        return new EncodeConfig(prompts, defaultPromptName, similarity);
    }

    private static String optionalString(JsonObject json, String field, Path file) throws IOException {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!isString(e)) {
            throw new IOException(file + ": " + field + " must be a string or null, got " + e);
        }
        return e.getAsString();
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }
}
