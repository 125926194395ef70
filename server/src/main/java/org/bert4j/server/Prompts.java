package org.bert4j.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Named prompts, the text put before an input when a request names one ({@code prompt_name}: {@code "query"} →
 * {@code "query: "} for e5 models), as sentence-transformers' {@code encode(prompt_name=...)} and TEI do.
 *
 * <p>A seam: {@link #of(Path)} reads the {@code "prompts"} map of {@code config_sentence_transformers.json}; the
 * encode API's own prompts can take its place by implementing these two methods.
 */
public interface Prompts {

    /** The prompt text named {@code name}, or empty when there is none. */
    Optional<String> prompt(String name);

    /** The names there are, for error messages. */
    Set<String> names();

    /** No prompts. */
    static Prompts none() {
        return of(Map.of());
    }

    /** These prompts. */
    static Prompts of(Map<String, String> prompts) {
        Map<String, String> copy = Collections.unmodifiableMap(new TreeMap<>(prompts));
        return new Prompts() {
            @Override
            public Optional<String> prompt(String name) {
                return Optional.ofNullable(copy.get(name));
            }

            @Override
            public Set<String> names() {
                return copy.keySet();
            }
        };
    }

    /**
     * The prompts of a model folder: the {@code "prompts"} object of its {@code config_sentence_transformers.json}
     * (none when the file or the key is absent). A malformed file is an error naming it.
     */
    static Prompts of(Path modelDir) throws IOException {
        Path file = modelDir.resolve("config_sentence_transformers.json");
        if (!Files.isRegularFile(file)) {
            return none();
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!root.isJsonObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        JsonElement prompts = root.getAsJsonObject().get("prompts");
        if (prompts == null || prompts.isJsonNull()) {
            return none();
        }
        if (!prompts.isJsonObject()) {
            throw new IOException(file + ": \"prompts\" must be an object of name → text");
        }
        Map<String, String> map = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : ((JsonObject) prompts).entrySet()) {
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                throw new IOException(file + ": prompt \"" + e.getKey() + "\" must be a string");
            }
            map.put(e.getKey(), e.getValue().getAsString());
        }
        return of(map);
    }
}
