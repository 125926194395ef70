package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object with typed getters whose errors name the field and what it should be (422): the
 * server's answer to "bad JSON or wrong types". Unknown fields are ignored, as TEI (serde) ignores them.
 */
final class JsonBody {

    private final JsonObject root;

    private JsonBody(JsonObject root) {
        this.root = root;
    }

    /** Parses a body strictly (no comments, unquoted names, NaN or trailing text); it must be one JSON object. */
    static JsonBody parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("the request body is empty; send a JSON object");
        }
        JsonElement element;
        try (JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body),
                StandardCharsets.UTF_8))) {
            reader.setStrictness(Strictness.STRICT);
            element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw ApiError.badRequest("the request body is not valid JSON: text after the JSON value at "
                        + reader.getPath());
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!element.isJsonObject()) {
            throw ApiError.badRequest("the request body must be a JSON object, got " + kind(element));
        }
        return new JsonBody(element.getAsJsonObject());
    }

    /** The field's value, or null when it is absent or JSON null. */
    JsonElement get(String field) {
        JsonElement e = root.get(field);
        return e == null || e.isJsonNull() ? null : e;
    }

    /** A required string field. */
    String string(String field) {
        JsonElement e = get(field);
        if (e == null) {
            throw ApiError.badRequest("`" + field + "` is required (a string)");
        }
        return asString(e, field);
    }

    /** An optional string field, or null. */
    String optionalString(String field) {
        JsonElement e = get(field);
        return e == null ? null : asString(e, field);
    }

    /** An optional boolean field, or the fallback. */
    boolean bool(String field, boolean fallback) {
        JsonElement e = get(field);
        if (e == null) {
            return fallback;
        }
        if (e instanceof JsonPrimitive p && p.isBoolean()) {
            return p.getAsBoolean();
        }
        throw ApiError.badRequest("`" + field + "` must be true or false, got " + kind(e));
    }

    /** An optional whole-number field within [min, max], or 0 when absent. */
    int positiveInt(String field, int min, int max) {
        JsonElement e = get(field);
        if (e == null) {
            return 0;
        }
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && d >= min && d <= max) {
                return (int) d;
            }
            throw ApiError.badRequest("`" + field + "` must be a whole number in [" + min + ", " + max + "], got "
                    + p.getAsString());
        }
        throw ApiError.badRequest("`" + field + "` must be a whole number, got " + kind(e));
    }

    /** A required array of strings. */
    List<String> strings(String field) {
        JsonElement e = get(field);
        if (e == null) {
            throw ApiError.badRequest("`" + field + "` is required (an array of strings)");
        }
        if (!e.isJsonArray()) {
            throw ApiError.badRequest("`" + field + "` must be an array of strings, got " + kind(e));
        }
        return strings(e.getAsJsonArray(), field);
    }

    /** Texts given as TEI's {@code inputs} are: one string, or an array of strings. */
    Texts texts(String field) {
        JsonElement e = get(field);
        if (e == null) {
            throw ApiError.badRequest("`" + field + "` is required (a string or an array of strings)");
        }
        if (e instanceof JsonPrimitive p && p.isString()) {
            return new Texts(List.of(p.getAsString()), true);
        }
        if (e.isJsonArray()) {
            return new Texts(strings(e.getAsJsonArray(), field), false);
        }
        throw ApiError.badRequest("`" + field + "` must be a string or an array of strings, got " + kind(e));
    }

    /** The request's texts, and whether it sent one string (answered unwrapped where TEI does so). */
    record Texts(List<String> texts, boolean single) {
    }

    static List<String> strings(JsonArray array, String field) {
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!(item instanceof JsonPrimitive p && p.isString())) {
                throw ApiError.badRequest("`" + field + "[" + i + "]` must be a string, got " + kind(item));
            }
            out.add(p.getAsString());
        }
        return out;
    }

    static String asString(JsonElement e, String field) {
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw ApiError.badRequest("`" + field + "` must be a string, got " + kind(e));
    }

    /** What a JSON value is, for messages: "a number (5)", "an array", "null". */
    static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return "a boolean (" + p.getAsBoolean() + ")";
        }
        if (p.isNumber()) {
            return "a number (" + p.getAsString() + ")";
        }
        return "a string";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        // Gson appends a troubleshooting URL on a second line; the first says what and where.
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
