package org.bert4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.bert4j.heads.metrics.ClassificationMetrics;
import org.bert4j.heads.metrics.EntityMetrics;
import org.bert4j.heads.train.TaskMetrics;

/** What {@code bert4j evaluate} found, as tables for a person or as one JSON object for a script. */
final class EvaluationReport {
    private final Path data;
    private final String heads;
    private HeadScorer.ClassificationScore classification;
    private HeadScorer.EntityScore entities;

    EvaluationReport(Path data, String heads) {
        this.data = data;
        this.heads = heads;
    }

    void add(HeadScorer.ClassificationScore score) {
        classification = score;
    }

    void add(HeadScorer.EntityScore score) {
        entities = score;
    }

    /** Lines for stderr: what was scored as an error although the head could not have got it right. */
    List<String> warnings(int maxLength) {
        List<String> warnings = new ArrayList<>();
        if (classification != null && !classification.unknownLabels().isEmpty()) {
            warnings.add(String.format(Locale.ROOT, "%s: %d example(s) have labels head '%s' does not know (%s);"
                    + " they count as errors", data, total(classification.unknownLabels()), classification.head(),
                    counts(classification.unknownLabels())));
        }
        if (entities != null && !entities.unknownTypes().isEmpty()) {
            warnings.add(String.format(Locale.ROOT, "%s: %d entit(ies) have types head '%s' has no tags for (%s);"
                    + " they count as missed", data, total(entities.unknownTypes()), entities.head(),
                    counts(entities.unknownTypes())));
        }
        if (entities != null && entities.truncated() > 0) {
            warnings.add(String.format(Locale.ROOT, "%s: %d text(s) reach the max length of %d tokens and were cut;"
                    + " entities past the cut count as missed (see --max-length)", data, entities.truncated(), maxLength));
        }
        return warnings;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        if (classification != null) {
            ClassificationMetrics m = classification.metrics();
            out.append(String.format(Locale.ROOT, "classification (head '%s'): %d examples%n", classification.head(),
                    m.count()));
            out.append(String.format(Locale.ROOT, "  accuracy     %.4f%n  macro-F1     %.4f%n  weighted-F1  %.4f%n%n",
                    m.accuracy(), m.macroF1(), m.weightedF1()));
            List<Row> rows = new ArrayList<>();
            m.perClass().forEach((label, c) -> rows.add(new Row(label, c.precision(), c.recall(), c.f1(), c.support())));
            table(out, "label", rows);
        }
        if (entities != null) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            EntityMetrics m = entities.metrics();
            out.append(String.format(Locale.ROOT, "ner (head '%s'): %d examples, %d gold entities, %d predicted%n",
                    entities.head(), entities.examples(), m.goldEntities(), m.predictedEntities()));
            out.append(String.format(Locale.ROOT, "  precision       %.4f%n  recall          %.4f%n  F1              %.4f"
                    + "%n  token accuracy  %.4f (%d words)%n%n", m.precision(), m.recall(), m.f1(),
                    entities.tokenAccuracy(), entities.words()));
            List<Row> rows = new ArrayList<>();
            m.perType().forEach((type, t) -> rows.add(new Row(type, t.precision(), t.recall(), t.f1(), t.support())));
            table(out, "type", rows);
        }
        return out.toString();
    }

    private record Row(String name, double precision, double recall, double f1, int support) {
    }

    /** One row per label or type, laid out as scikit-learn's classification_report. */
    private static void table(StringBuilder out, String header, List<Row> rows) {
        int width = Math.max(header.length(), rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        out.append(String.format(Locale.ROOT, "  %-" + width + "s  precision  recall      F1  support%n", header));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s     %.4f  %.4f  %.4f  %7d%n", row.name(),
                    row.precision(), row.recall(), row.f1(), row.support()));
        }
    }

    /**
     * One JSON object: per task the keys train's metrics.json uses (accuracy, macro_f1, per_class; precision, recall,
     * f1, per_type), plus weighted_f1, token_accuracy, the head's name and what was not the head's to get right.
     */
    JsonObject json(int maxLength) {
        JsonObject root = new JsonObject();
        root.addProperty("data", data.toString());
        root.addProperty("heads", heads);
        if (classification != null) {
            ClassificationMetrics m = classification.metrics();
            JsonObject task = metricsJson(new TaskMetrics(classification.head(), m, null, m.macroF1()));
            task.addProperty("head", classification.head());
            task.addProperty("examples", m.count());
            task.addProperty("weighted_f1", m.weightedF1());
            task.add("unknown_labels", countsJson(classification.unknownLabels()));
            root.add("classification", task);
        }
        if (entities != null) {
            EntityMetrics m = entities.metrics();
            JsonObject task = metricsJson(new TaskMetrics(entities.head(), null, m, m.f1()));
            task.addProperty("head", entities.head());
            task.addProperty("examples", entities.examples());
            task.addProperty("token_accuracy", entities.tokenAccuracy());
            task.addProperty("words", entities.words());
            task.add("unknown_types", countsJson(entities.unknownTypes()));
            task.addProperty("truncated_texts", entities.truncated());
            root.add("ner", task);
        }
        JsonArray warnings = new JsonArray();
        warnings(maxLength).forEach(warnings::add);
        root.add("warnings", warnings);
        return root;
    }

    /** The same metric objects train writes, so scripts read one layout for dev and test scores. */
    private static JsonObject metricsJson(TaskMetrics metrics) {
        return JsonParser.parseString(metrics.toJson()).getAsJsonObject();
    }

    private static JsonObject countsJson(Map<String, Integer> counts) {
        JsonObject object = new JsonObject();
        counts.forEach(object::addProperty);
        return object;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String counts(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }
}
