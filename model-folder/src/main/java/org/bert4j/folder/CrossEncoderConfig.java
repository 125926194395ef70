package org.bert4j.folder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The activation a sentence-transformers cross-encoder folder declares for its scores, as a torch class name
 * ({@code torch.nn.modules.linear.Identity}, {@code torch.nn.modules.activation.Sigmoid}, ...).
 *
 * <p>sentence-transformers ({@code CrossEncoder.get_default_activation_fn} and {@code _parse_model_config}) looks
 * in three places, newest format first: {@code activation_fn} in {@code config_sentence_transformers.json} (v5),
 * {@code sentence_transformers.activation_fn} in {@code config.json} (v4), and {@code config.json}'s
 * {@code sbert_ce_default_activation_function} (before v4; cross-encoder/ms-marco-MiniLM-L-6-v2 declares Identity
 * there). When none says, it uses Sigmoid for a one-label model and Identity otherwise.
 *
 * @param activationFn the declared class name
 * @param declaredIn   where it was found, for messages: the file and the field
 */
public record CrossEncoderConfig(String activationFn, String declaredIn) {

    /** The activation the folder declares, or empty when it declares none. */
    public static Optional<CrossEncoderConfig> read(Path dir) throws IOException {
        Path st = dir.resolve("config_sentence_transformers.json");
        if (Files.isRegularFile(st)) {
            Optional<String> name = string(st, Json.readObject(st), "activation_fn");
            if (name.isPresent()) {
                return Optional.of(new CrossEncoderConfig(name.get(), st + ": activation_fn"));
            }
        }
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        JsonObject json = Json.readObject(config);
        JsonElement section = json.get("sentence_transformers");
        if (section != null && section.isJsonObject()) {
            Optional<String> name = string(config, section.getAsJsonObject(), "activation_fn");
            if (name.isPresent()) {
                return Optional.of(new CrossEncoderConfig(name.get(), config + ": sentence_transformers.activation_fn"));
            }
        }
        return string(config, json, "sbert_ce_default_activation_function")
                .map(name -> new CrossEncoderConfig(name, config + ": sbert_ce_default_activation_function"));
    }

    private static Optional<String> string(Path file, JsonObject json, String field) throws IOException {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IOException(file + ": " + field + " must be a class name string, got " + e);
        }
        return Optional.of(e.getAsString());
    }
}
