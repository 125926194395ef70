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

    /**
     * convert --quantize int8 stores the encoder's Linear weights as I8 with their scales; embed then runs the
     * folder in int8 by default, with the same vectors as quantizing the FP32 folder at load (--quantize int8).
     */
    @Test
    void aFolderConvertedWithQuantizeInt8EmbedsAsQuantizingAtLoad() throws Exception {
        Path source = BundledModels.defaultModel();
        Path out = dir.resolve("int8");
        Cli run = Cli.run("convert", source.toString(), "--out", out.toString(), "--quantize", "int8");
        assertEquals(0, run.code(), run.err());
        try (SafetensorsFile copy = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(org.bert4j.safetensors.DType.I8,
                    copy.info("encoder.layer.0.intermediate.dense.weight").dtype());
            assertEquals(org.bert4j.safetensors.DType.F32,
                    copy.info("encoder.layer.0.intermediate.dense.weight_scale").dtype());
            assertEquals(org.bert4j.safetensors.DType.F32, copy.info("embeddings.word_embeddings.weight").dtype());
        }
        Cli stored = Cli.run("embed", "--model", out.toString(), "--kernels", "vector", "a short text");
        Cli atLoad = Cli.run("embed", "--model", source.toString(), "--kernels", "vector", "--quantize", "int8",
                "a short text");
        Cli fp32 = Cli.run("embed", "--model", source.toString(), "--kernels", "vector", "a short text");
        assertEquals(0, stored.code(), stored.err());
        assertEquals(atLoad.out(), stored.out());
        assertTrue(!fp32.out().equals(stored.out()), "int8 weights change the last digits");
        Cli info = Cli.run("info", "--model", out.toString());
        assertTrue(info.out().contains("int8 (one byte each"), info.out());
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
