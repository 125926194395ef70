package org.bert4j.safetensors;

import static org.bert4j.safetensors.RawFile.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bert4j.safetensors.SafetensorsException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made hostile files: each broken rule of the format gets its own {@link Problem} and a message
 * naming the file and (where one is involved) the tensor. None may cause an OOM, a hang or a crash.
 */
class HostileSafetensorsTest {

    @TempDir
    Path dir;

    private SafetensorsException refused(Path file, Problem expected, String tensor) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                fail("opened a hostile file: " + f.tensors());
            }
        });
        assertEquals(expected, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        if (tensor != null) {
            assertEquals(tensor, e.tensor());
            assertTrue(e.getMessage().contains("'" + tensor + "'"), "message names the tensor: " + e.getMessage());
        }
        return e;
    }

    private Path file(String header, int bufferBytes) throws IOException {
        return RawFile.write(dir.resolve("t.safetensors"), header, bufferBytes);
    }

    @Test
    void fileShorterThanTheLengthPrefixIsRefused() throws IOException {
        Path f = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3});
        refused(f, Problem.FILE_TOO_SMALL, null);
    }

    @Test
    void truncatedBufferIsRefusedNamingTheTensorThatRunsPastTheEnd() throws IOException {
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[4]", 8, 24) + "}", 12),
                Problem.OFFSETS_OUT_OF_RANGE, "b");
    }

    @Test
    void headerLengthLargerThanTheFileIsRefused() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        refused(RawFile.write(dir.resolve("t.safetensors"), 1000, header, new byte[0]), Problem.HEADER_LENGTH_BEYOND_FILE, null);
    }

    @Test
    void headerLengthOfTwoToThe63IsRefusedWithoutAllocating() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        SafetensorsException e = refused(RawFile.write(dir.resolve("t.safetensors"), Long.MIN_VALUE, header, new byte[0]),
                Problem.HEADER_LENGTH_TOO_LARGE, null);
        assertTrue(e.getMessage().contains("9223372036854775808"), e.getMessage());
        refused(RawFile.write(dir.resolve("t.safetensors"), -1L, header, new byte[0]), Problem.HEADER_LENGTH_TOO_LARGE, null);
        refused(RawFile.write(dir.resolve("t.safetensors"), 100_000_001L, header, new byte[0]), Problem.HEADER_LENGTH_TOO_LARGE, null);
    }

    @Test
    void nonJsonHeaderIsRefused() throws IOException {
        refused(file("this is not json", 0), Problem.HEADER_NOT_JSON, null);
        refused(file("{\"a\":{\"dtype\":\"F32\",", 0), Problem.HEADER_NOT_JSON, null);
        refused(file("{} {}", 0), Problem.HEADER_NOT_JSON, null);
        refused(file("", 0), Problem.HEADER_NOT_JSON, null);
    }

    @Test
    void headerThatIsJsonButNotAnObjectIsRefused() throws IOException {
        refused(file("[1,2,3]", 0), Problem.HEADER_NOT_OBJECT, null);
    }

    @Test
    void headerThatIsNotUtf8IsRefused() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        refused(RawFile.write(dir.resolve("t.safetensors"), header.length, header, new byte[0]), Problem.HEADER_NOT_UTF8, null);
    }

    @Test
    void unknownDtypeIsRefused() throws IOException {
        SafetensorsException e = refused(file("{" + entry("w", "F8_E4M3", "[2]", 0, 2) + "}", 2), Problem.UNKNOWN_DTYPE, "w");
        assertTrue(e.getMessage().contains("F8_E4M3"), e.getMessage());
    }

    @Test
    void negativeShapeIsRefused() throws IOException {
        refused(file("{" + entry("w", "F32", "[-1,4]", 0, 0) + "}", 0), Problem.BAD_SHAPE, "w");
    }

    @Test
    void shapeWhoseProductOverflowsIsRefused() throws IOException {
        long big = 1L << 32;
        refused(file("{" + entry("w", "F32", "[" + big + "," + big + "]", 0, 0) + "}", 0), Problem.SHAPE_OVERFLOW, "w");
        // The product fits in a long, but times 4 bytes it does not.
        refused(file("{" + entry("w", "F32", "[" + (1L << 62) + "]", 0, 0) + "}", 0), Problem.SHAPE_OVERFLOW, "w");
        refused(file("{" + entry("w", "F32", "[99999999999999999999]", 0, 0) + "}", 0), Problem.BAD_SHAPE, "w");
        refused(file("{" + entry("w", "F32", "[1.5]", 0, 0) + "}", 0), Problem.BAD_SHAPE, "w");
        refused(file("{" + entry("w", "F32", "[\"3\"]", 0, 0) + "}", 0), Problem.BAD_SHAPE, "w");
    }

    @Test
    void offsetsOutOfRangeAreRefused() throws IOException {
        refused(file("{" + entry("w", "F32", "[2]", 8, 16) + "}", 8), Problem.OFFSETS_OUT_OF_RANGE, "w");
        refused(file("{" + entry("w", "U8", "[2]", 4, 2) + "}", 8), Problem.BAD_OFFSETS, "w");
        refused(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,1,2]}}", 8), Problem.BAD_OFFSETS, "w");
        refused(file("{" + entry("w", "U8", "[2]", -2, 0) + "}", 8), Problem.BAD_OFFSETS, "w");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRefused() throws IOException {
        refused(file("{" + entry("w", "F32", "[3]", 0, 8) + "}", 8), Problem.SIZE_MISMATCH, "w");
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        SafetensorsException e = refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                Problem.OVERLAPPING_TENSORS, "b");
        assertTrue(e.getMessage().contains("'a'"), "names the other tensor too: " + e.getMessage());
        // An empty tensor pointing into the middle of another one claims bytes that are not its own.
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("e", "F32", "[0]", 4, 4) + "}", 8),
                Problem.OVERLAPPING_TENSORS, "e");
    }

    @Test
    void holeBetweenTensorsIsRefused() throws IOException {
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 12, 20) + "}", 20),
                Problem.HOLE_BETWEEN_TENSORS, "b");
        refused(file("{" + entry("a", "F32", "[2]", 4, 12) + "}", 12), Problem.HOLE_BETWEEN_TENSORS, "a");
    }

    @Test
    void bytesAfterTheLastTensorAreRefused() throws IOException {
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "}", 9), Problem.TRAILING_BYTES, "a");
        refused(file("{}", 3), Problem.TRAILING_BYTES, null);
    }

    @Test
    void duplicateTensorNamesAreRefused() throws IOException {
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("a", "F32", "[2]", 8, 16) + "}", 16),
                Problem.DUPLICATE_TENSOR, "a");
    }

    @Test
    void metadataMustMapStringsToStrings() throws IOException {
        refused(file("{\"__metadata__\":{\"format\":1}}", 0), Problem.BAD_METADATA, null);
        refused(file("{\"__metadata__\":[\"pt\"]}", 0), Problem.BAD_METADATA, null);
    }

    @Test
    void malformedTensorEntriesAreRefused() throws IOException {
        refused(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), Problem.BAD_TENSOR_ENTRY, "w");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"evil\":1}}", 4), Problem.BAD_TENSOR_ENTRY, "w");
        refused(file("{\"w\":[0,4]}", 4), Problem.BAD_TENSOR_ENTRY, "w");
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutRecursing() throws IOException {
        String deep = "[".repeat(1_000_000);
        refused(file(deep, 0), Problem.HEADER_NOT_OBJECT, null);
        refused(file("{\"w\":" + deep, 0), Problem.BAD_TENSOR_ENTRY, "w");
        refused(file("{\"__metadata__\":{\"k\":" + deep, 0), Problem.BAD_METADATA, null);
    }

    /** Random corruption of a valid file: it opens or it is refused with a SafetensorsException, nothing else. */
    @Test
    void randomlyCorruptedFilesNeverEscapeAsAnythingButSafetensorsException() throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        SafetensorsWriter.write(valid, List.of(
                Tensor.f32("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                Tensor.bf16("b", new long[] {4}, new float[] {1, 2, 3, 4}),
                Tensor.f16("c", new long[] {0}, new float[0])), Map.of("format", "pt"));
        byte[] original = Files.readAllBytes(valid);
        Random random = new Random(42);
        Path mutated = dir.resolve("mutated.safetensors");
        int opened = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] bytes = original.clone();
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(10) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Files.write(mutated, bytes);
            try (SafetensorsFile f = SafetensorsFile.open(mutated)) {
                for (TensorInfo t : f.tensors()) {
                    if (t.dtype().isFloatingPoint()) {
                        assertEquals(t.elementCount(), f.readFloats(t.name()).length);
                    }
                }
                opened++;
            } catch (SafetensorsException expected) {
                assertTrue(expected.getMessage().contains(mutated.toString()));
            }
        }
        assertTrue(opened > 0 && opened < 1500, "some corruptions are harmless (e.g. in tensor data), most are not: " + opened);
    }
}
