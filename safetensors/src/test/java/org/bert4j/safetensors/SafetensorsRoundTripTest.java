package org.bert4j.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bert4j.safetensors.SafetensorsException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer → reader round trips, the exact bytes the writer emits, dtype widening, and files over 2 GiB. */
class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void writerEmitsTheReferenceLayoutByteForByte() throws IOException {
        Path file = dir.resolve("x.safetensors");
        // Given out of order: the writer sorts by name and lays tensors out back to back.
        SafetensorsWriter.write(file, List.of(
                Tensor.f32("b", new long[] {1}, new float[] {2f}),
                Tensor.f32("a", new long[] {2}, new float[] {1f, -1f})), Map.of("format", "pt"));
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 12).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put((json + " ".repeat(padded - json.length())).getBytes(StandardCharsets.US_ASCII));
        expected.putFloat(1f).putFloat(-1f).putFloat(2f);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
        assertEquals(0, padded % 8, "the data buffer starts 8-byte aligned");
    }

    /**
     * A file written by Hugging Face's own implementation (python safetensors 0.8.0, numpy backend:
     * {@code save_file({"b": arange(6, f32).reshape(2,3), "a": [1,2] f16, "e": zeros((0,3), f32), "i": [7] i64},
     * metadata={"format": "pt"})}), which orders tensors by alignment, not by name.
     */
    @Test
    void readsAFileWrittenByTheReferenceImplementation() throws Exception {
        Path file = Path.of(getClass().getResource("/written-by-safetensors-0.8.0.safetensors").toURI());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(List.of("a", "b", "e", "i"), f.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, f.readFloats("b"));
            assertArrayEquals(new long[] {2, 3}, f.info("b").shape());
            assertEquals(DType.F16, f.info("a").dtype());
            assertArrayEquals(new float[] {1, 2}, f.readFloats("a"));
            assertArrayEquals(new long[] {0, 3}, f.info("e").shape());
            assertEquals(0, f.segment("e").byteSize());
            assertEquals(7L, f.segment("i").get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
        }
    }

    @Test
    void everyDtypeEmptyAndScalarTensorsRoundTrip() throws IOException {
        Path file = dir.resolve("all.safetensors");
        float[] values = {0f, 1f, -2.5f, 65504f, 1e-3f, Float.NEGATIVE_INFINITY};
        List<Tensor> tensors = List.of(
                Tensor.f32("f32", new long[] {2, 3}, values),
                Tensor.f16("f16", new long[] {6}, values),
                Tensor.bf16("bf16", new long[] {3, 2}, values),
                Tensor.f32("empty", new long[] {0, 384}, new float[0]),
                Tensor.f32("scalar", new long[] {}, new float[] {7f}),
                Tensor.i64("position_ids", new long[] {1, 3}, new long[] {0, 1, 2}),
                Tensor.i32("i32", new long[] {2}, new int[] {-1, Integer.MAX_VALUE}),
                Tensor.of("u8", DType.U8, new long[] {3}, new byte[] {1, 2, (byte) 255}),
                Tensor.of("bool", DType.BOOL, new long[] {2}, new byte[] {0, 1}),
                Tensor.of("f64", DType.F64, new long[] {1}, le8(Double.doubleToLongBits(Math.PI))));
        SafetensorsWriter.write(file, tensors, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("bf16", "bool", "empty", "f16", "f32", "f64", "i32", "position_ids", "scalar", "u8"),
                    f.tensors().stream().map(TensorInfo::name).toList());
            assertTrue(f.metadata().isEmpty());
            for (Tensor t : tensors) {
                TensorInfo info = f.info(t.name());
                assertEquals(t.dtype(), info.dtype());
                assertArrayEquals(t.shape(), info.shape());
                assertEquals(-1, f.segment(t.name()).mismatch(t.data()), t.name() + " bytes");
            }
            assertArrayEquals(values, f.readFloats("f32"));
            // Half keeps 10 mantissa bits, bfloat16 7: 1e-3 rounds differently in each, 65504 only in bfloat16.
            assertArrayEquals(new float[] {0f, 1f, -2.5f, 65504f, 0.00100040435791015625f, Float.NEGATIVE_INFINITY}, f.readFloats("f16"));
            assertArrayEquals(new float[] {0f, 1f, -2.5f, 65536f, 0.00099945068359375f, Float.NEGATIVE_INFINITY}, f.readFloats("bf16"));
            assertArrayEquals(new float[0], f.readFloats("empty"));
            assertEquals(0, f.info("empty").elementCount());
            assertArrayEquals(new float[] {7f}, f.readFloats("scalar"));
            assertEquals(1, f.info("scalar").elementCount());
            assertArrayEquals(new float[] {(float) Math.PI}, f.readFloats("f64"));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.readFloats("position_ids"));
            assertEquals(Problem.WRONG_DTYPE, e.problem());
        }
    }

    @Test
    void halfAndBfloat16BitPatternsWidenExactly() throws IOException {
        short[] f16 = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, (short) 0x8000, 0x7C00};
        float[] f16Expected = {1f, -2f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY};
        short[] bf16 = {0x3F80, 0x4049, (short) 0xFF80, 0x0001};
        float[] bf16Expected = {1f, 3.140625f, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x00010000)};
        Path file = dir.resolve("half.safetensors");
        SafetensorsWriter.write(file, List.of(
                Tensor.of("h", DType.F16, new long[] {f16.length}, le2(f16)),
                Tensor.of("b", DType.BF16, new long[] {bf16.length}, le2(bf16))), Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(f16Expected, f.readFloats("h"));
            assertArrayEquals(bf16Expected, f.readFloats("b"));
        }
    }

    @Test
    void bfloat16NarrowingRoundsToNearestEven() {
        assertEquals(0x3F80, FloatFormats.floatToBf16(Float.intBitsToFloat(0x3F808000)) & 0xFFFF, "tie → even (down)");
        assertEquals(0x3F82, FloatFormats.floatToBf16(Float.intBitsToFloat(0x3F818000)) & 0xFFFF, "tie → even (up)");
        assertEquals(0x3F81, FloatFormats.floatToBf16(Float.intBitsToFloat(0x3F808001)) & 0xFFFF, "above tie → up");
        assertTrue(Float.isNaN(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(Float.intBitsToFloat(0x7F800001)))),
                "a NaN whose payload is in the low bits stays NaN");
    }

    @Test
    void missingTensorAndClosedFileGiveClearErrors() throws IOException {
        Path file = dir.resolve("one.safetensors");
        SafetensorsWriter.write(file, List.of(Tensor.f32("w", new long[] {1}, new float[] {1})), Map.of());
        SafetensorsFile f = SafetensorsFile.open(file);
        assertFalse(f.contains("nope"));
        SafetensorsException missing = assertThrows(SafetensorsException.class, () -> f.info("nope"));
        assertEquals(Problem.NO_SUCH_TENSOR, missing.problem());
        assertTrue(missing.getMessage().contains(file.toString()) && missing.getMessage().contains("'nope'"));
        MemorySegment before = f.segment("w");
        f.close();
        f.close();
        assertEquals(Problem.CLOSED, assertThrows(SafetensorsException.class, () -> f.segment("w")).problem());
        // A segment handed out before close fails cleanly instead of reading unmapped memory.
        assertThrows(IllegalStateException.class, () -> before.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void writerRefusesDataThatDisagreesWithTheShapeAndDuplicateNames() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32("w", new long[] {3}, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32("w", new long[] {-1}, new float[0]));
        Tensor t = Tensor.f32("w", new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(dir.resolve("d"), List.of(t, t), Map.of()));
    }

    /** A sparse file: 2.5 GiB on paper, a few KiB on disk; the last bytes are read through the mapping. */
    @Test
    void filesLargerThanTwoGibibytesAreMappedAndReadable() throws IOException {
        long big = (5L << 30) / 2;
        String json = "{" + RawFile.entry("big", "U8", "[" + big + "]", 0, big) + ","
                + RawFile.entry("tail", "F32", "[2]", big, big + 8) + "}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        long dataStart = 8 + header.length;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            raf.write(header);
            raf.setLength(dataStart + big + 8);
            raf.seek(dataStart + big);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(3f).putFloat(-4f).array());
            raf.seek(dataStart + big - 1);
            raf.write(99);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(big, f.segment("big").byteSize());
            assertEquals(99, f.segment("big").get(ValueLayout.JAVA_BYTE, big - 1));
            assertArrayEquals(new float[] {3f, -4f}, f.readFloats("tail"));
        }
    }

    private static byte[] le2(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    private static byte[] le8(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }
}
