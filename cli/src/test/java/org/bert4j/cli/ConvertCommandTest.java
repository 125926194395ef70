package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bert4j.convert.BundledModels;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertsAModelFolderIntoAnEqualOne() throws Exception {
        Path source = BundledModels.defaultModel();
        Path out = dir.resolve("copy");
        Cli run = Cli.run("convert", source.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        for (String file : new String[] {"model.safetensors", "config.json", "vocab.txt"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        try (SafetensorsFile original = SafetensorsFile.open(source.resolve("model.safetensors"));
                SafetensorsFile copy = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(original.tensors().size(), copy.tensors().size());
            for (TensorInfo info : original.tensors()) {
                assertArrayEquals(original.readFloats(info.name()), copy.readFloats(info.name()), info.name());
            }
        }
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path out = Files.createDirectories(dir.resolve("exists"));
        Cli run = Cli.run("convert", BundledModels.defaultModel().toString(), "--out", out.toString());
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("exists"), run.err());
    }

    @Test
    void missingSourceFailsWithOneLineNamingIt() {
        Cli run = Cli.run("convert", dir.resolve("nothing.onnx").toString(), "--out", dir.resolve("o").toString());
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("nothing.onnx"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void outIsRequired() {
        Cli run = Cli.run("convert", "x.onnx");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("--out"), run.err());
    }
}
