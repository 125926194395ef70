package org.bert4j.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the result files JMH writes with {@code -rf json}: an array of one object per benchmark and param set. */
public final class JmhJson {

    private JmhJson() {
    }

    /** Every result of one JMH JSON file; a malformed file is an error naming it. */
    public static List<JmhResult> read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IllegalStateException | JsonParseException e) {
            throw new IOException("JMH result file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every result of one JMH JSON document. */
    public static List<JmhResult> parse(String json) {
        JsonElement root = JsonParser.parseString(json);
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("expected a JSON array of benchmark results, got " + kind(root));
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonElement element : root.getAsJsonArray()) {
            results.add(result(element.getAsJsonObject()));
        }
        return results;
    }

    private static JmhResult result(JsonObject o) {
        String benchmark = string(o, "benchmark");
        Map<String, String> params = new LinkedHashMap<>();
        if (o.has("params")) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("params").entrySet()) {
                params.put(e.getKey(), e.getValue().getAsString());
            }
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (o.has("secondaryMetrics")) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("secondaryMetrics").entrySet()) {
                secondary.put(e.getKey(), metric(benchmark + ":" + e.getKey(), e.getValue().getAsJsonObject()));
            }
        }
        if (!o.has("primaryMetric")) {
            throw new IllegalArgumentException(benchmark + ": no \"primaryMetric\"");
        }
        int threads = o.has("threads") ? o.get("threads").getAsInt() : 1;
        return new JmhResult(benchmark, string(o, "mode"), threads, params,
                metric(benchmark, o.getAsJsonObject("primaryMetric")), secondary,
                o.has("jdkVersion") ? o.get("jdkVersion").getAsString() : "",
                o.has("vmVersion") ? o.get("vmVersion").getAsString() : "");
    }

    private static Metric metric(String where, JsonObject m) {
        // JMH writes the error as the string "NaN" when it has too few iterations for a confidence interval.
        double error = m.has("scoreError") ? m.get("scoreError").getAsDouble() : Double.NaN;
        return new Metric(number(where, m, "score"), error, string(m, "scoreUnit"));
    }

    private static double number(String where, JsonObject o, String field) {
        if (!o.has(field)) {
            throw new IllegalArgumentException(where + ": no \"" + field + "\"");
        }
        return o.get(field).getAsDouble();
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException("missing string field \"" + field + "\" in " + abbreviate(o));
        }
        return e.getAsString();
    }

    private static String kind(JsonElement e) {
        return e.isJsonObject() ? "an object" : e.isJsonNull() ? "null" : e instanceof JsonArray ? "an array" : "a value";
    }

    private static String abbreviate(JsonObject o) {
        String text = o.toString();
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
