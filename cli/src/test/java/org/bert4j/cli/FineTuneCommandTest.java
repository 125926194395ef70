package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.heads.HeadsFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bert4j train --unfreeze}: the backbone trains, is saved beside the heads, and classify and ner use it. */
class FineTuneCommandTest {

    @TempDir
    static Path dir;
    static Path seedCsv;
    static Path tiny;

    @BeforeAll
    static void tinyModelAndSeedData() throws Exception {
        String shared = System.getProperty("bert4j.sharedData");
        seedCsv = Path.of(shared == null ? "(bert4j.sharedData unset)" : shared, "annotated_w_quotes.csv");
        assertTrue(Files.isRegularFile(seedCsv), "the seed CSV is missing: " + seedCsv);
        tiny = Files.createDirectories(dir.resolve("tiny"));
        RandomCheckpoint.write(tiny, BertConfig.of(30522, 16, 1, 2, 32), 1, 0.02, false);
        Files.copy(BundledModels.defaultModel().resolve("vocab.txt"), tiny.resolve("vocab.txt"));
    }

    @Test
    void trainingThroughTheBackboneSavesItBesideTheHeadsAndTheHeadsRunOnIt() throws Exception {
        Path out = dir.resolve("fine-tuned");
        Cli run = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category",
                "--ner-column", "annotations", "--model", tiny.toString(), "--unfreeze", "all", "--epochs", "2",
                "--dev-fraction", "0", "--max-length", "32", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isRegularFile(out.resolve("backbone/model.safetensors")), "the trained backbone");
        assertTrue(Files.isRegularFile(out.resolve("backbone/vocab.txt")), "with its tokenizer");
        assertEquals("backbone", HeadsFolder.backboneOf(out).reference(), "heads.json points at it, relatively");
        try (BertModel saved = BertModel.load(out.resolve("backbone"), EngineOptions.defaults().withThreads(1))) {
            assertEquals(16, saved.config().hiddenSize());
        }
        Cli classify = Cli.run("classify", "--heads", out.toString(), "Cats in the U.S.");
        assertEquals(0, classify.code(), classify.err());
        Cli ner = Cli.run("ner", "--heads", out.toString(), "Cats in the U.S.");
        assertEquals(0, ner.code(), ner.err());
    }

    @Test
    void unfreezeBeyondTheModelsLayersOrBesideFreezeBackboneIsAUsageError() throws Exception {
        Cli tooMany = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category",
                "--model", tiny.toString(), "--unfreeze", "3", "--out", dir.resolve("x3").toString());
        assertEquals(2, tooMany.code(), tooMany.err());
        assertTrue(tooMany.err().contains("1 layers") || tooMany.err().contains("has 1"), tooMany.err());
        Cli both = Cli.run("train", "--data", seedCsv.toString(), "--label-column", "category",
                "--freeze", "backbone", "--unfreeze", "1", "--out", dir.resolve("x4").toString());
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("contradict"), both.err());
    }
}
