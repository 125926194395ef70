package org.bert4j.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of {@link SafetensorsFile#open}: any bytes as a file. The contract is the one the
 * class documents: the file opens, or a {@link SafetensorsException} with a message names the broken rule;
 * never another exception, an OOM or a hang. A file that opens must keep its own promises: tensors sorted
 * by name, each one's bytes matching its shape, together tiling the data buffer, each readable.
 *
 * <p>In {@code ./run-tests} this replays the committed inputs under {@code SafetensorsFuzzTestInputs/};
 * {@code scripts/fuzz safetensors MINUTES} fuzzes it for real (see docs/fuzzing.md).
 */
class SafetensorsFuzzTest {

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("bert4j-fuzz", ".safetensors");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    void openAnyBytes(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        SafetensorsFile opened;
        try {
            opened = SafetensorsFile.open(file);
        } catch (SafetensorsException e) {
            assertNotNull(e.problem(), "every refusal names its rule");
            assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
            return;
        }
        try (opened) {
            checkInvariants(opened, bytes);
        }
    }

    private static void checkInvariants(SafetensorsFile f, byte[] bytes) throws SafetensorsException {
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        long bufferSize = bytes.length - 8 - headerLength;
        List<TensorInfo> tensors = f.tensors();
        long covered = 0;
        String previous = null;
        for (TensorInfo t : tensors) {
            assertTrue(previous == null || previous.compareTo(t.name()) < 0, "sorted, no duplicates: " + previous + ", " + t.name());
            previous = t.name();
            assertEquals(t.elementCount() * t.dtype().byteSize(), t.byteSize(), t.toString());
            assertTrue(t.begin() >= 0 && t.end() <= bufferSize, t + " inside a buffer of " + bufferSize);
            covered += t.byteSize();
            assertEquals(t.byteSize(), f.segment(t.name()).byteSize(), t.toString());
            if (t.dtype().isFloatingPoint()) {
                assertEquals(t.elementCount(), f.readFloats(t.name()).length, t.toString());
            }
            assertEquals(t, f.info(t.name()));
        }
        assertEquals(bufferSize, covered, "the tensors tile the data buffer");
    }
}
