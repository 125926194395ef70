package org.bert4j.convert.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bert4j.convert.ConversionException;
import org.bert4j.safetensors.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of {@link TorchCheckpoint#read} and its {@link RestrictedUnpickler}. The contract:
 * a state dict's tensors, each holding exactly its shape's bytes, or a {@link ConversionException} naming the
 * file; never another exception, an OOM or a hang, and never a call outside the allow-list.
 *
 * <p>A zip's lengths and offsets would make nearly every mutation of the pickle inside it unreadable, so the
 * input is framed: its first byte 'Z' means "the rest is the whole file"; otherwise the input, split at each
 * {@value #SEPARATOR}, is {@code data.pkl} followed by the storages {@code data/0}, {@code data/1}, ..., which
 * this test stores in a torch.save-shaped zip. {@code scripts/fuzz torch MINUTES} fuzzes it for real.
 */
class TorchCheckpointFuzzTest {

    static final String SEPARATOR = "#STORAGE#";

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("bert4j-fuzz", ".bin");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    void readAnyCheckpoint(byte[] input) throws IOException {
        if (input.length > 0 && input[0] == 'Z') {
            Files.write(file, Arrays.copyOfRange(input, 1, input.length));
        } else {
            Files.write(file, zip(split(input)));
        }
        List<Tensor> tensors;
        try {
            tensors = TorchCheckpoint.read(file);
        } catch (ConversionException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
            return;
        }
        for (Tensor t : tensors) {
            assertEquals(t.elementCount() * t.dtype().byteSize(), t.data().byteSize(), t.toString());
        }
    }

    /** {@code data.pkl}, then each storage, as torch.save lays them out (stored, not compressed). */
    static byte[] zip(List<byte[]> parts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/data.pkl", parts.getFirst());
            stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 1; i < parts.size(); i++) {
                stored(zip, "archive/data/" + (i - 1), parts.get(i));
            }
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        ((OutputStream) zip).write(data);
        zip.closeEntry();
    }

    static List<byte[]> split(byte[] input) {
        byte[] separator = SEPARATOR.getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + separator.length <= input.length; i++) {
            if (Arrays.equals(input, i, i + separator.length, separator, 0, separator.length)) {
                parts.add(Arrays.copyOfRange(input, start, i));
                start = i + separator.length;
                i = start - 1;
            }
        }
        parts.add(Arrays.copyOfRange(input, start, input.length));
        return parts;
    }
}
