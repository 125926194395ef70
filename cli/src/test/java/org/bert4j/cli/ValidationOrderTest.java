package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every argument and output path is checked, and empty input recognised, before a model loads. The model here is a
 * folder whose weights are not a safetensors file: any command that loaded it would fail with that (exit 1), so each
 * usage error (exit 2) or empty success (exit 0) below proves the check came first.
 */
class ValidationOrderTest {
    @TempDir
    static Path dir;
    static Path broken;
    static Path heads;

    @BeforeAll
    static void brokenModelAndHeadsOnIt() throws Exception {
        broken = TinyModel.in(dir.resolve("broken"));
        Files.writeString(broken.resolve("model.safetensors"), "not weights");
        heads = Files.createDirectories(dir.resolve("heads"));
        Files.writeString(heads.resolve("heads.json"), """
                {"format": "bert4j-heads", "version": 1,
                 "backbone": {"reference": "%s", "hidden_size": 16, "max_length": 64},
                 "heads": [{"name": "topic", "kind": "classification"}, {"name": "ner", "kind": "token_classification"}]}
                """.formatted(broken.toString().replace("\\", "\\\\")));
    }

    static void assertUsage(Cli run, String message) {
        assertEquals(Main.USAGE, run.code(), run.err());
        assertTrue(run.err().startsWith("bert4j " + message), run.err());
    }

    @Test
    void theBrokenModelReallyFailsWhenLoaded() {
        Cli run = Cli.run("embed", "--model", broken.toString(), "text");
        assertEquals(Main.FAILURE, run.code(), run.err());
    }

    @Test
    void embedChecksItsOutputPathAndInputFirst() {
        String model = broken.toString();
        assertUsage(Cli.run("embed", "--model", model, "--output", dir.resolve("no/such/folder/e.jsonl").toString(), "text"),
                "embed: output folder does not exist: ");
        assertUsage(Cli.run("embed", "--model", model, "--output", dir.toString(), "text"), "embed: output path is a folder");
        assertUsage(Cli.run("embed", "--model", model, "--input", dir.resolve("absent.txt").toString()),
                "embed: input file not found");
        assertUsage(Cli.run("embed", "--model", model, "--input", "-", "--input-format", "csv"), "embed: CSV input needs --columns");
        assertUsage(Cli.run("embed", "--model", model, "--encoding", "no-such-charset", "text"), "embed: --encoding");
        assertUsage(Cli.run("embed", "--model", model, "--batch-size", "0", "text"), "embed: --batch-size must be between");
    }

    @Test
    void emptyInputLoadsNoModel() {
        for (String command : new String[] {"embed", "tokenize"}) {
            Cli run = Cli.runWithStdin("", command, "--model", broken.toString());
            assertEquals(Main.OK, run.code(), command + ": " + run.err());
            assertEquals("", run.out(), command);
        }
        for (String command : new String[] {"classify", "ner"}) {
            Cli run = Cli.runWithStdin("", command, "--heads", heads.toString());
            assertEquals(Main.OK, run.code(), command + ": " + run.err());
            assertEquals("", run.out(), command);
        }
    }

    @Test
    void classifyAndNerCheckTheirTaskAndOptionsFirst() {
        assertUsage(Cli.run("classify", "--heads", heads.toString(), "--task", "ner", "text"),
                "classify: no classification head named 'ner' (classification heads: topic)");
        assertUsage(Cli.run("ner", "--heads", heads.toString(), "--aggregation", "loudest", "text"), "ner: --aggregation must be one of");
        assertUsage(Cli.run("ner", "--heads", heads.toString(), "--threads", "0", "text"), "ner: --threads must be between");
        assertUsage(Cli.run("classify", "--heads", heads.toString(), "--model", dir.resolve("absent").toString(), "text"),
                "classify: model folder not found");
    }

    @Test
    void trainChecksItsOptionsAndOutFolderBeforeTheBackbone() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "headline,short_description,category\na,b,X\nc,d,Y\n");
        String model = broken.toString();
        assertUsage(Cli.run("train", "--model", model, "--data", data.toString(), "--label-column", "category",
                "--out", dir.resolve("no/such/parent/out").toString()), "train: the folder --out");
        assertUsage(Cli.run("train", "--model", model, "--data", data.toString(), "--label-column", "category",
                "--tag-scheme", "bioes", "--out", dir.resolve("o1").toString()), "train: --tag-scheme must be one of");
        assertUsage(Cli.run("train", "--model", model, "--data", data.toString(), "--label-column", "category",
                "--max-length", "4", "--out", dir.resolve("o2").toString()), "train: --max-length must be between");
    }
}
