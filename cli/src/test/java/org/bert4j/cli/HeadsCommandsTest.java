package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bert4j.folder.BertConfig;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.ner.Entity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train → classify / ner through the real entry point, on the seed's own CSV and the default model. */
class HeadsCommandsTest {
    @TempDir
    static Path dir;
    static Path heads;
    static Path seedCsv;

    static final String TEXT = "Over 4 Million Americans Roll Up Sleeves For Omicron-Targeted COVID Boosters";

    @BeforeAll
    static void trainOnTheSeedCsv() {
        String shared = System.getProperty("bert4j.sharedData");
        seedCsv = Path.of(shared == null ? "(bert4j.sharedData unset)" : shared, "annotated_w_quotes.csv");
        assertTrue(Files.isRegularFile(seedCsv), "the seed CSV is missing: " + seedCsv + " (set BERT4J_SHARED_DATA)");
        heads = dir.resolve("heads");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--ner-column", "annotations",
                "--out", heads.toString(), "--epochs", "40", "--lr", "1e-2", "--batch-size", "8", "--dev-fraction", "0.2");
        assertEquals(0, run.code(), run.err());
        assertEquals(1, run.out().strip().lines().count(), "final metrics are one JSON line: " + run.out());
        JsonObject metrics = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        assertTrue(metrics.getAsJsonObject("dev").has("classification"), run.out());
        assertTrue(metrics.getAsJsonObject("dev").has("ner"), run.out());
        assertTrue(run.err().contains("could not be aligned"), "unalignable seed annotations are reported: " + run.err());
    }

    @Test
    void trainWritesHeadsAndMetrics() {
        for (String file : List.of("heads.json", "heads.safetensors", "metrics.json")) {
            assertTrue(Files.isRegularFile(heads.resolve(file)), file);
        }
    }

    @Test
    void classifyPrintsWhatTheJavaApiPredicts() throws Exception {
        Cli run = Cli.run("classify", "--heads", heads.toString(), TEXT);
        assertEquals(0, run.code(), run.err());
        JsonObject json = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        try (MultiTaskModel model = MultiTaskModel.load(heads)) {
            ClassPrediction expected = model.classify(List.of(TEXT), "classification").getFirst();
            assertEquals(expected.label(), json.get("label").getAsString());
            // Up to rounding: one of the two forwards may run on the engine's cold-start scalar kernels.
            assertEquals(expected.score(), json.get("score").getAsDouble(), 1e-5);
            assertEquals(expected.probabilities().size(), json.getAsJsonObject("probabilities").size());
        }
        double sum = json.getAsJsonObject("probabilities").entrySet().stream().mapToDouble(e -> e.getValue().getAsDouble()).sum();
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void nerSpansPointIntoTheOriginalText() throws Exception {
        String text = "The U.S. ordered 171 Million doses for Americans.";
        Cli run = Cli.run("ner", "--heads", heads.toString(), text);
        assertEquals(0, run.code(), run.err());
        JsonObject json = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        try (MultiTaskModel model = MultiTaskModel.load(heads)) {
            List<Entity> expected = model.entities(List.of(text), "ner").getFirst();
            assertEquals(expected.size(), json.getAsJsonArray("entities").size());
        }
        for (var element : json.getAsJsonArray("entities")) {
            JsonObject entity = element.getAsJsonObject();
            assertEquals(text.substring(entity.get("start").getAsInt(), entity.get("end").getAsInt()), entity.get("text").getAsString());
        }
    }

    @Test
    void prettyNerMarksEntitiesInline() {
        String marked = NerCommand.pretty(0, "Cats in the U.S.", List.of(new Entity("ANIMAL", 0, 4, "Cats", 0.9),
                new Entity("COUNTRY", 12, 16, "U.S.", 0.8)));
        assertEquals("   0  [Cats](ANIMAL) in the [U.S.](COUNTRY)", marked);
    }

    /** A random 16-wide model folder with MiniLM's vocabulary, made once. */
    static synchronized Path tinyModel() throws Exception {
        Path tiny = dir.resolve("tiny");
        if (!Files.isDirectory(tiny)) {
            RandomCheckpoint.write(Files.createDirectories(tiny), BertConfig.of(30522, 16, 1, 2, 32), 1, 0.02, false);
            Files.copy(org.bert4j.convert.BundledModels.defaultModel().resolve("vocab.txt"), tiny.resolve("vocab.txt"));
        }
        return tiny;
    }

    @Test
    void headsOnABackboneOfAnotherWidthAreRefused() throws Exception {
        Path tiny = tinyModel();
        Cli run = Cli.run("classify", "--heads", heads.toString(), "--model", tiny.toString(), TEXT);
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("384") && run.err().contains("16"), run.err());
    }

    @Test
    void unknownLabelColumnListsTheColumns() {
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "categroy", "--out", dir.resolve("x").toString());
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("categroy") && run.err().contains("headline"), run.err());
    }

    @Test
    void missingHeadsOptionIsAUsageError() {
        Cli run = Cli.run("classify", TEXT);
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("--heads"), run.err());
    }

    @Test
    void freezingAHeadNeedsEarlierHeads() {
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--freeze", "ner",
                "--out", dir.resolve("y").toString());
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("--from"), run.err());
    }

    @Test
    void aMissingFromFolderIsReportedBeforeTheDataIsRead() {
        // The misspelt label column would fail only once the data is read: --from must be checked first.
        Path missing = dir.resolve("no-such-heads");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "categroy", "--from", missing.toString(),
                "--out", dir.resolve("z").toString());
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("--from folder not found: " + missing), run.err());
    }

    /** A copy of the trained heads folder keeping only {@code keep}'s entry in heads.json. */
    static Path headsWithOnly(String keep, String copyName) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(copyName));
        Files.copy(heads.resolve("heads.safetensors"), copy.resolve("heads.safetensors"));
        JsonObject json = JsonParser.parseString(Files.readString(heads.resolve("heads.json"))).getAsJsonObject();
        com.google.gson.JsonArray kept = new com.google.gson.JsonArray();
        json.getAsJsonArray("heads").forEach(h -> {
            if (h.getAsJsonObject().get("name").getAsString().equals(keep)) {
                kept.add(h);
            }
        });
        json.add("heads", kept);
        Files.writeString(copy.resolve("heads.json"), json.toString());
        return copy;
    }

    @Test
    void freezingAHeadTheFromFolderLacksIsAUsageError() throws Exception {
        Path classificationOnly = headsWithOnly("classification", "classification-only");
        Path out = dir.resolve("frozen-missing");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--ner-column", "annotations",
                "--from", classificationOnly.toString(), "--freeze", "ner", "--epochs", "1", "--out", out.toString());
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains("--freeze ner") && run.err().contains(classificationOnly.toString())
                && run.err().contains("no 'ner' head"), run.err());
        assertFalse(Files.exists(out), "nothing saved");
    }

    @Test
    void trainingOnFromAnotherModelIsAUsageError() throws Exception {
        Path tiny = tinyModel();
        Path out = dir.resolve("other-model");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--from", heads.toString(),
                "--model", tiny.toString(), "--epochs", "1", "--out", out.toString());
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains(tiny.toString()) && run.err().contains("bundled:all-MiniLM-L6-v2"), run.err());
        assertFalse(Files.exists(out), "nothing saved");
    }

    @Test
    void trainingOnFromWhoseBackboneMovedTakesItsNewFolder() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model-before-move"));
        RandomCheckpoint.write(model, BertConfig.of(30522, 16, 1, 2, 32), 1, 0.02, false);
        Files.copy(org.bert4j.convert.BundledModels.defaultModel().resolve("vocab.txt"), model.resolve("vocab.txt"));
        Path first = dir.resolve("on-moved-model");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--model", model.toString(),
                "--epochs", "1", "--dev-fraction", "0", "--feature-cache", "none", "--out", first.toString());
        assertEquals(0, run.code(), run.err());
        Path moved = Files.move(model, dir.resolve("model-after-move"));

        // Without --model there is nothing to open: the error says what to give.
        run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--from", first.toString(),
                "--epochs", "1", "--out", dir.resolve("moved-no-model").toString());
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains(model.toAbsolutePath().toString()) && run.err().contains("--model"), run.err());
        // classify says the same, and takes the new folder with --model.
        run = Cli.run("classify", "--heads", first.toString(), "A cat runs outdoors");
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().contains(model.toAbsolutePath().toString()) && run.err().contains("--model"), run.err());
        run = Cli.run("classify", "--heads", first.toString(), "--model", moved.toString(), "A cat runs outdoors");
        assertEquals(0, run.code(), run.err());

        Path next = dir.resolve("on-moved-model-continued");
        run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--from", first.toString(),
                "--model", moved.toString(), "--epochs", "1", "--dev-fraction", "0", "--feature-cache", "none",
                "--out", next.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("no longer exists") && run.err().contains(moved.toString()), run.err());
        JsonObject backbone = JsonParser.parseString(Files.readString(next.resolve("heads.json"))).getAsJsonObject()
                .getAsJsonObject("backbone");
        assertEquals(moved.toAbsolutePath().normalize().toString(), backbone.get("reference").getAsString());

        // The hidden-size check still applies to the folder given for the moved one.
        Path wide = Files.createDirectories(dir.resolve("model-of-another-width"));
        RandomCheckpoint.write(wide, BertConfig.of(30522, 32, 1, 2, 64), 1, 0.02, false);
        Files.copy(moved.resolve("vocab.txt"), wide.resolve("vocab.txt"));
        Files.move(moved, dir.resolve("model-moved-again"));
        run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--from", next.toString(),
                "--model", wide.toString(), "--epochs", "1", "--out", dir.resolve("on-wide").toString());
        assertEquals(Main.FAILURE, run.code(), run.err());
        assertTrue(run.err().contains("hidden size 16") && run.err().contains("32"), run.err());
    }

    @Test
    void trainingOnFromKeepsTheRecordedBackboneAndMaxLength() throws Exception {
        // The recorded max length made 64 (not the default 256), and --model naming the recorded model's own folder.
        Path recorded64 = headsWithOnly("classification", "recorded-64");
        JsonObject json = JsonParser.parseString(Files.readString(recorded64.resolve("heads.json"))).getAsJsonObject();
        json.getAsJsonObject("backbone").addProperty("max_length", 64);
        Files.writeString(recorded64.resolve("heads.json"), json.toString());
        Path out = dir.resolve("continued-64");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--from", recorded64.toString(),
                "--model", org.bert4j.convert.BundledModels.defaultModel().toString(), "--epochs", "1", "--dev-fraction", "0",
                "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject backbone = JsonParser.parseString(Files.readString(out.resolve("heads.json"))).getAsJsonObject()
                .getAsJsonObject("backbone");
        assertEquals("bundled:all-MiniLM-L6-v2", backbone.get("reference").getAsString());
        assertEquals(64, backbone.get("max_length").getAsInt());
    }

    @Test
    void warmupTakesTheWholeRangeItAdvertises() throws Exception {
        Path out = dir.resolve("warmup-1");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--warmup", "1",
                "--epochs", "1", "--dev-fraction", "0", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject metrics = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        assertEquals(1.0, metrics.getAsJsonObject("options").get("warmup_ratio").getAsDouble());
        run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--warmup", "1.5",
                "--out", dir.resolve("warmup-1.5").toString());
        assertEquals(Main.USAGE, run.code(), run.err());
    }

    @Test
    void freezingTheNerHeadLeavesItsWeightsUnchanged() throws Exception {
        Path next = dir.resolve("continued");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category", "--ner-column", "annotations",
                "--from", heads.toString(), "--freeze", "ner", "--epochs", "3", "--dev-fraction", "0", "--out", next.toString());
        assertEquals(0, run.code(), run.err());
        try (var before = org.bert4j.safetensors.SafetensorsFile.open(heads.resolve("heads.safetensors"));
                var after = org.bert4j.safetensors.SafetensorsFile.open(next.resolve("heads.safetensors"))) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.readFloats("ner.weight"), after.readFloats("ner.weight"));
            assertFalse(java.util.Arrays.equals(before.readFloats("classification.weight"), after.readFloats("classification.weight")),
                    "the classification head went on training");
        }
    }
}
