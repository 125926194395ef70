package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bert4j.heads.data.Datasets;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.data.FieldMapping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bert4j evaluate} against scores counted here, by hand, from what {@code classify} and {@code ner} print for
 * the same texts: a classification head on the seed CSV, a NER head on a sample of scripts/ner-data's CoNLL set.
 */
class EvaluateCommandTest {
    @TempDir
    static Path dir;
    static Path seedCsv;
    static Path conllTest;
    static Path classificationHeads;
    static Path nerHeads;

    @BeforeAll
    static void trainSmallHeads() throws Exception {
        String shared = System.getProperty("bert4j.sharedData");
        seedCsv = Path.of(shared == null ? "(bert4j.sharedData unset)" : shared, "annotated_w_quotes.csv");
        assertTrue(Files.isRegularFile(seedCsv), "the seed CSV is missing: " + seedCsv);
        Path sample = Path.of(EvaluateCommandTest.class.getResource("/ner-sample/train.conll").toURI()).getParent();
        conllTest = sample.resolve("test.conll");
        // Few epochs on purpose: a head that is right on every example would leave the error counting untested.
        classificationHeads = dir.resolve("classification-heads");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--epochs", "4",
                "--lr", "3e-3", "--batch-size", "8", "--dev-fraction", "0", "--feature-cache", "none",
                "--out", classificationHeads.toString());
        assertEquals(Main.OK, run.code(), run.err());
        nerHeads = dir.resolve("ner-heads");
        run = Cli.run("train", "--data", sample.resolve("train.conll").toString(), "--epochs", "10", "--lr", "1e-2",
                "--dev-fraction", "0", "--feature-cache", "none", "--out", nerHeads.toString());
        assertEquals(Main.OK, run.code(), run.err());
    }

    @Test
    void classificationScoresEqualCountsOverWhatClassifyPrints() throws Exception {
        Cli evaluate = Cli.run("evaluate", "--heads", classificationHeads.toString(), "--data", seedCsv.toString(),
                "--label-column", "category", "--json");
        assertEquals(Main.OK, evaluate.code(), evaluate.err());
        JsonObject scores = JsonParser.parseString(evaluate.out()).getAsJsonObject().getAsJsonObject("classification");

        List<Example> examples = Datasets.read(seedCsv, FieldMapping.seed().withoutAnnotations()).examples();
        List<String> gold = examples.stream().map(Example::label).toList();
        List<String> predicted = new ArrayList<>();
        for (String line : Cli.run("classify", "--heads", classificationHeads.toString(), "--input",
                jsonl(examples.stream().map(Example::text).toList(), "classify.jsonl").toString()).lines()) {
            predicted.add(JsonParser.parseString(line).getAsJsonObject().get("label").getAsString());
        }
        assertEquals(gold.size(), predicted.size());
        int correct = 0;
        for (int i = 0; i < gold.size(); i++) {
            correct += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
        assertTrue(correct > 0 && correct < gold.size(), "some right, some wrong: " + correct + "/" + gold.size());
        // Per label: F1 over labels seen in gold or predictions; macro = plain mean, weighted = by gold support.
        Set<String> labels = new TreeSet<>(gold);
        labels.addAll(predicted);
        double macro = 0;
        double weighted = 0;
        JsonObject perClass = scores.getAsJsonObject("per_class");
        for (String label : labels) {
            int tp = 0;
            int inGold = 0;
            int inPredicted = 0;
            for (int i = 0; i < gold.size(); i++) {
                inGold += gold.get(i).equals(label) ? 1 : 0;
                inPredicted += predicted.get(i).equals(label) ? 1 : 0;
                tp += gold.get(i).equals(label) && predicted.get(i).equals(label) ? 1 : 0;
            }
            double f1 = tp == 0 ? 0 : 2.0 * tp / (inGold + inPredicted);
            macro += f1 / labels.size();
            weighted += f1 * inGold / gold.size();
            assertEquals(f1, perClass.getAsJsonObject(label).get("f1").getAsDouble(), 1e-12, label);
            assertEquals(inGold, perClass.getAsJsonObject(label).get("support").getAsInt(), label);
        }
        assertEquals(labels.size(), perClass.size());
        assertEquals(gold.size(), scores.get("examples").getAsInt());
        assertEquals((double) correct / gold.size(), scores.get("accuracy").getAsDouble(), 1e-12);
        assertEquals(macro, scores.get("macro_f1").getAsDouble(), 1e-12);
        assertEquals(weighted, scores.get("weighted_f1").getAsDouble(), 1e-12);

        Cli table = Cli.run("evaluate", "--heads", classificationHeads.toString(), "--data", seedCsv.toString(),
                "--label-column", "category");
        assertEquals(Main.OK, table.code(), table.err());
        assertTrue(table.out().contains(String.format(Locale.ROOT, "accuracy     %.4f", (double) correct / gold.size()))
                && table.out().contains(String.format(Locale.ROOT, "weighted-F1  %.4f", weighted)), table.out());
    }

    @Test
    void entityScoresEqualExactSpanMatchesOverWhatNerPrints() throws Exception {
        Cli evaluate = Cli.run("evaluate", "--heads", nerHeads.toString(), "--data", conllTest.toString(), "--json");
        assertEquals(Main.OK, evaluate.code(), evaluate.err());
        JsonObject scores = JsonParser.parseString(evaluate.out()).getAsJsonObject().getAsJsonObject("ner");

        // The CoNLL file read here without the library: text = tokens joined by a space, as bert4j joins them.
        List<List<String[]>> sentences = conll(Files.readAllLines(conllTest));
        List<String> texts = new ArrayList<>();
        Set<List<Object>> gold = new HashSet<>();
        List<List<int[]>> tokenRanges = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            StringBuilder text = new StringBuilder();
            List<int[]> ranges = new ArrayList<>();
            String type = null;
            int start = 0;
            for (String[] token : sentences.get(s)) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                ranges.add(new int[] {text.length(), text.length() + token[0].length()});
                String tag = token[1];
                if (type != null && !tag.startsWith("I-")) {
                    gold.add(List.of(s, type, start, ranges.get(ranges.size() - 2)[1]));
                    type = null;
                }
                if (tag.startsWith("B-")) {
                    type = tag.substring(2);
                    start = text.length();
                }
                text.append(token[0]);
            }
            if (type != null) {
                gold.add(List.of(s, type, start, text.length()));
            }
            texts.add(text.toString());
            tokenRanges.add(ranges);
        }
        Set<List<Object>> predicted = new HashSet<>();
        List<String> lines = Cli.run("ner", "--heads", nerHeads.toString(), "--input", jsonl(texts, "ner.jsonl").toString())
                .lines();
        assertEquals(texts.size(), lines.size());
        int words = 0;
        int rightTags = 0;
        for (int s = 0; s < lines.size(); s++) {
            List<int[]> found = new ArrayList<>();
            List<String> foundTypes = new ArrayList<>();
            for (var element : JsonParser.parseString(lines.get(s)).getAsJsonObject().getAsJsonArray("entities")) {
                JsonObject e = element.getAsJsonObject();
                predicted.add(List.of(s, e.get("label").getAsString(), e.get("start").getAsInt(), e.get("end").getAsInt()));
                found.add(new int[] {e.get("start").getAsInt(), e.get("end").getAsInt()});
                foundTypes.add(e.get("label").getAsString());
            }
            // Token accuracy: a token's predicted tag is the entity it overlaps, B- on the entity's first token.
            int previous = -1;
            for (int t = 0; t < tokenRanges.get(s).size(); t++) {
                int[] range = tokenRanges.get(s).get(t);
                int entity = -1;
                for (int f = 0; f < found.size() && entity < 0; f++) {
                    entity = range[0] < found.get(f)[1] && found.get(f)[0] < range[1] ? f : -1;
                }
                String tag = entity < 0 ? "O" : (entity == previous ? "I-" : "B-") + foundTypes.get(entity);
                previous = entity;
                words++;
                rightTags += tag.equals(sentences.get(s).get(t)[1]) ? 1 : 0;
            }
        }
        Set<List<Object>> hits = new HashSet<>(gold);
        hits.retainAll(predicted);
        assertTrue(!hits.isEmpty() && hits.size() < gold.size(), "some found, some missed: " + hits.size() + "/" + gold.size());
        double precision = (double) hits.size() / predicted.size();
        double recall = (double) hits.size() / gold.size();
        assertEquals(gold.size(), scores.get("gold_entities").getAsInt());
        assertEquals(predicted.size(), scores.get("predicted_entities").getAsInt());
        assertEquals(precision, scores.get("precision").getAsDouble(), 1e-12);
        assertEquals(recall, scores.get("recall").getAsDouble(), 1e-12);
        assertEquals(2 * precision * recall / (precision + recall), scores.get("f1").getAsDouble(), 1e-12);
        assertEquals(words, scores.get("words").getAsInt());
        assertEquals((double) rightTags / words, scores.get("token_accuracy").getAsDouble(), 1e-12);
        for (String type : List.of("PER", "ORG", "LOC", "MISC")) {
            long support = gold.stream().filter(k -> k.get(1).equals(type)).count();
            long typeHits = hits.stream().filter(k -> k.get(1).equals(type)).count();
            JsonObject perType = scores.getAsJsonObject("per_type").getAsJsonObject(type);
            assertEquals(support, perType.get("support").getAsLong(), type);
            assertEquals((double) typeHits / support, perType.get("recall").getAsDouble(), 1e-12, type);
        }
        assertEquals(0, scores.get("truncated_texts").getAsInt());
    }

    @Test
    void labelsAndTypesTheHeadDoesNotKnowCountAsErrorsWithAWarning() throws Exception {
        Path csv = Files.writeString(dir.resolve("unknown-label.csv"), """
                headline,short_description,category
                Storm hits the coast,Thousands lose power,WORLD NEWS
                A new phone is out,It folds,NOT_A_CATEGORY
                """);
        Cli run = Cli.run("evaluate", "--heads", classificationHeads.toString(), "--data", csv.toString(),
                "--label-column", "category", "--json");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.err().contains("warning") && run.err().contains("NOT_A_CATEGORY: 1"), run.err());
        JsonObject scores = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonObject("classification");
        assertEquals(1, scores.getAsJsonObject("unknown_labels").get("NOT_A_CATEGORY").getAsInt());
        JsonObject unknown = scores.getAsJsonObject("per_class").getAsJsonObject("NOT_A_CATEGORY");
        assertEquals(0.0, unknown.get("recall").getAsDouble());
        assertEquals(1, unknown.get("support").getAsInt());
        assertTrue(scores.get("accuracy").getAsDouble() <= 0.5, scores.toString());

        Path conll = Files.writeString(dir.resolve("unknown-type.conll"), """
                Alice B-EVENT
                went O
                home O

                John B-PER
                Smith I-PER
                said O
                """);
        run = Cli.run("evaluate", "--heads", nerHeads.toString(), "--data", conll.toString(), "--json");
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.err().contains("EVENT: 1") && run.err().contains("count as missed"), run.err());
        JsonObject event = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonObject("ner")
                .getAsJsonObject("per_type").getAsJsonObject("EVENT");
        assertEquals(0.0, event.get("recall").getAsDouble());
        assertEquals(1, event.get("support").getAsInt());
    }

    @Test
    void aShorterMaxLengthCutsTextsAndSaysWhatThatCosts() {
        Cli run = Cli.run("evaluate", "--heads", nerHeads.toString(), "--data", conllTest.toString(), "--max-length", "8",
                "--json");
        assertEquals(Main.OK, run.code(), run.err());
        JsonObject scores = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonObject("ner");
        assertTrue(scores.get("truncated_texts").getAsInt() > 50, scores.toString());
        assertTrue(run.err().contains("max length of 8 tokens"), run.err());
    }

    @Test
    void badInputNamesTheFileLineOrArgument() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.conll"), "John B-PER\nsaid O\nlonely\n");
        Cli run = Cli.run("evaluate", "--heads", nerHeads.toString(), "--data", broken.toString());
        assertEquals(Main.FAILURE, run.code(), run.err());
        assertTrue(run.err().contains(broken + ", line 3") && run.err().contains("lonely"), run.err());

        run = Cli.run("evaluate", "--heads", nerHeads.toString());
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("--data FILE is required"), run.err());

        run = Cli.run("evaluate", "--heads", classificationHeads.toString(), "--data", seedCsv.toString(),
                "--label-column", "categroy");
        assertEquals(Main.FAILURE, run.code(), run.err());
        assertTrue(run.err().contains("categroy") && run.err().contains("headline"), run.err());

        run = Cli.run("evaluate", "--heads", classificationHeads.toString(), "--data", conllTest.toString(),
                "--label-column", "category");
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("--label-column category") && run.err().contains("no class labels"), run.err());

        // CoNLL asks for a NER head; the classification-only folder has none.
        run = Cli.run("evaluate", "--heads", classificationHeads.toString(), "--data", conllTest.toString());
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("token_classification head") && run.err().contains("classification [classification]"),
                run.err());
    }

    @Test
    void helpListsTheCommand() {
        assertTrue(Cli.run("help").out().contains("evaluate"));
        Cli run = Cli.run("evaluate", "--help");
        assertEquals(Main.OK, run.code());
        assertTrue(run.out().startsWith("Usage: bert4j evaluate") && run.out().contains("--label-column"), run.out());
    }

    /** Sentences of (token, tag) pairs: one token a line, a blank line between sentences. */
    private static List<List<String[]>> conll(List<String> lines) {
        List<List<String[]>> sentences = new ArrayList<>();
        List<String[]> current = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    sentences.add(current);
                    current = new ArrayList<>();
                }
            } else {
                String[] columns = line.strip().split(" ");
                current.add(new String[] {columns[0], columns[columns.length - 1]});
            }
        }
        if (!current.isEmpty()) {
            sentences.add(current);
        }
        return sentences;
    }

    /** The texts as JSONL with a "text" field, which classify and ner read whatever quotes or commas they hold. */
    private static Path jsonl(List<String> texts, String name) throws Exception {
        StringBuilder out = new StringBuilder();
        Map<String, String> line = new HashMap<>();
        for (String text : texts) {
            line.put("text", text);
            out.append(new com.google.gson.Gson().toJson(line)).append('\n');
        }
        return Files.writeString(dir.resolve(name), out.toString());
    }
}
