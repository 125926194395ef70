package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bert4j.folder.BertConfig;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {
    @TempDir
    Path dir;

    private Path tinyModel() throws Exception {
        return RandomCheckpoint.write(Files.createDirectories(dir.resolve("tiny")), BertConfig.of(50, 16, 2, 4, 32), 3, 0.02, true);
    }

    @Test
    void defaultModelReportsTheTrueMiniLmDimensions() {
        Cli run = Cli.run("info", "--json");
        assertEquals(0, run.code(), run.err());
        JsonObject info = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonObject config = info.getAsJsonObject("config");
        assertEquals(6, config.get("num_hidden_layers").getAsInt());
        assertEquals(384, config.get("hidden_size").getAsInt());
        assertEquals(12, config.get("num_attention_heads").getAsInt());
        assertEquals(1536, config.get("intermediate_size").getAsInt());
        assertEquals("F32", info.get("dtype").getAsString());
        assertEquals("mean", info.get("pooling").getAsString());
        assertTrue(info.get("normalize").getAsBoolean(), "all-MiniLM-L6-v2 declares a Normalize module");
        assertTrue(info.get("simd_floats").getAsInt() >= 4);
        assertEquals("fp32", info.get("weights_precision").getAsString());
        assertTrue(info.getAsJsonArray("gemm_choices").size() >= 1, info.toString());
    }

    @Test
    void infoSaysWhichBackendEachShapeUsesAndWhy() throws Exception {
        Path model = tinyModel();
        Cli fixed = Cli.run("info", "--model", model.toString(), "--gemm", "java");
        assertEquals(0, fixed.code(), fixed.err());
        assertTrue(fixed.out().contains("GEMM        java at every size"), fixed.out());
        Cli auto = Cli.run("info", "--model", model.toString(), "--kernels", "vector-256", "--quantize", "int8");
        assertEquals(0, auto.code(), auto.err());
        // Every Linear shape of the tiny model (16 hidden, 32 intermediate), its line and the timings behind it.
        for (String shape : new String[] {"48 × 16: ", "16 × 16: ", "32 × 16: ", "16 × 32: "}) {
            assertTrue(auto.out().contains(shape), shape + " in " + auto.out());
        }
        assertTrue(auto.out().contains("ms java / openblas"), auto.out());
        assertTrue(auto.out().contains("precision   int8"), auto.out());
    }

    @Test
    void parameterCountIsTheSumOfTensorSizes() throws Exception {
        Path model = tinyModel();
        Cli run = Cli.run("info", "--json", "--model", model.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject info = JsonParser.parseString(run.out()).getAsJsonObject();
        // vocab 50, hidden 16, 2 layers, intermediate 32, 512 positions, 2 types, with pooler.
        long embeddings = 50 * 16 + 512 * 16 + 2 * 16 + 2 * 16;
        long layer = 4 * (16 * 16 + 16) + 2 * 16 + (16 * 32 + 32) + (32 * 16 + 16) + 2 * 16;
        long pooler = 16 * 16 + 16;
        assertEquals(embeddings + 2 * layer + pooler, info.get("parameters").getAsLong());
        // With the default backend only the stacked Q/K/V projections (2 layers × 3 × 16 × 16 floats) are copies.
        assertEquals(2 * 3 * 16 * 16 * 4, info.get("repacked_bytes").getAsLong());
        assertTrue(info.get("load_ms").getAsLong() >= info.get("repack_ms").getAsLong(), info.toString());
    }

    @Test
    void truncatedWeightsFailWithOneLineNamingTheFile() throws Exception {
        Path model = tinyModel();
        Path weights = model.resolve("model.safetensors");
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(weights) - 100);
        }
        Cli run = Cli.run("info", "--model", model.toString());
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("model.safetensors"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void configThatDoesNotMatchTheWeightsNamesTheTensor() throws Exception {
        Path model = tinyModel();
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"intermediate_size\": 32", "\"intermediate_size\": 64")
                .replace("\"intermediate_size\":32", "\"intermediate_size\":64"));
        Cli run = Cli.run("info", "--model", model.toString());
        assertEquals(Main.FAILURE, run.code(), run.out());
        assertTrue(run.err().contains("intermediate.dense"), run.err());
    }

    @Test
    void folderWithoutConfigIsAFailureNamingIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli run = Cli.run("info", "--model", empty.toString());
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("no config.json"), run.err());
    }
}
