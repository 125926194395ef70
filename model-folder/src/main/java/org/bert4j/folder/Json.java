package org.bert4j.folder;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing the JSON files of a model folder, with errors that name the file. */
final class Json {
    private Json() {}

    /** The top-level object of {@code file}; anything else (or malformed JSON) is an error naming the file. */
    static JsonObject readObject(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new IOException(file + ": expected a JSON object at the top level");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code json} pretty-printed with a final newline, as transformers and sentence-transformers do. */
    static void write(Path file, JsonElement json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n",
                StandardCharsets.UTF_8);
    }
}
