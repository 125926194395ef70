package org.bert4j.server;

import com.google.gson.stream.JsonWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a response body to bytes before anything is sent, so a failure half-way leaves no truncated answer behind
 * a 200. Floats are written as {@link Float#toString} writes them: the shortest text that reads back as the same
 * float, so a client parsing the JSON gets the server's vector bit for bit.
 */
final class JsonOut {

    /** What writes one body. */
    interface Body {
        void write(JsonWriter json) throws IOException;
    }

    private JsonOut() {
    }

    static byte[] bytes(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonWriter json = new JsonWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
            json.setHtmlSafe(false);
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A float array. */
    static void floats(JsonWriter json, float[] v) throws IOException {
        json.beginArray();
        for (float x : v) {
            json.value(x);
        }
        json.endArray();
    }

    /** TEI's error body. */
    static byte[] error(ApiError e) {
        return bytes(json -> json.beginObject().name("error").value(e.getMessage()).name("error_type").value(e.type())
                .endObject());
    }

    /** The OpenAI route's error body, as TEI words it: {@code {"message", "code", "type"}}. */
    static byte[] openAiError(ApiError e) {
        return bytes(json -> json.beginObject().name("message").value(e.getMessage()).name("code").value(e.status())
                .name("type").value(e.type()).endObject());
    }
}
