package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bert4j.convert.onnx.OnnxModel;
import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of ONNX reading: the hand-written protobuf reader ({@link OnnxModel#read}) and the
 * importer that names BERT's weights and reads its hyper-parameters off the graph ({@link OnnxConversion#read}).
 * The contract: a model whose every tensor holds its shape's bytes and whose settings fit its weights, or a
 * {@link ConversionException} naming the file; never another exception, an OOM, a hang, or a read outside the
 * model's folder (its external data file {@code weights.bin} sits beside it).
 *
 * <p>{@code ./run-tests} replays the committed inputs under {@code OnnxFuzzTestInputs/}; {@code scripts/fuzz onnx
 * MINUTES} fuzzes for real (docs/fuzzing.md).
 */
class OnnxFuzzTest {

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createFolder() throws IOException {
        dir = Files.createTempDirectory("bert4j-fuzz-onnx");
        file = dir.resolve("model.onnx");
        byte[] external = new byte[1 << 16];
        for (int i = 0; i < external.length; i++) {
            external[i] = (byte) (i * 7);
        }
        Files.write(dir.resolve("weights.bin"), external);
    }

    @AfterAll
    static void deleteFolder() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @FuzzTest
    void importAnyModel(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try (OnnxModel model = OnnxModel.read(file)) {
            ImportedModel imported = OnnxConversion.read(model, ConvertOptions.defaults().withWarnings(w -> {}));
            checkInvariants(imported);
        } catch (ConversionException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        }
    }

    private static void checkInvariants(ImportedModel imported) {
        BertConfig c = imported.settings();
        assertTrue(c.vocabSize() > 0 && c.hiddenSize() > 0 && c.numHiddenLayers() > 0 && c.numAttentionHeads() > 0, c.toString());
        assertEquals(0, c.hiddenSize() % c.numAttentionHeads(), c.toString());
        for (Tensor t : imported.tensors()) {
            assertEquals(t.elementCount() * t.dtype().byteSize(), t.data().byteSize(), t.toString());
            t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0); // still readable while the model is open
        }
    }
}
