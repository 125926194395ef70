package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingWriterTest {
    @TempDir
    Path dir;

    @Test
    void npyFileHasTheRowCountAndLittleEndianFloats() throws Exception {
        Path file = dir.resolve("e.npy");
        try (EmbeddingWriter writer = EmbeddingWriter.npy(file)) {
            writer.write(0, new float[] {1f, -2.5f, 3e-8f});
            writer.write(1, new float[] {0f, Float.MIN_VALUE, 7f});
            writer.finish();
        }
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64, "npy data must start 64-byte aligned");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (2, 3)"), header);
        assertTrue(header.endsWith("\n"));
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[6];
        data.asFloatBuffer().get(values);
        assertArrayEquals(new float[] {1f, -2.5f, 3e-8f, 0f, Float.MIN_VALUE, 7f}, values);
        assertEquals(10 + headerLength + 24, bytes.length);
    }

    @Test
    void jsonlRowsCarryIndexAndRoundTripFloats() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EmbeddingWriter writer = EmbeddingWriter.jsonl(out)) {
            writer.write(0, new float[] {0.1f, -1.25e-7f});
            writer.finish();
        }
        var object = com.google.gson.JsonParser.parseString(out.toString(StandardCharsets.UTF_8).strip()).getAsJsonObject();
        assertEquals(0, object.get("index").getAsInt());
        var array = object.getAsJsonArray("embedding");
        assertEquals(0.1f, array.get(0).getAsFloat());
        assertEquals(-1.25e-7f, array.get(1).getAsFloat());
    }

    @Test
    void csvHasAHeaderAndOneRowPerText() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EmbeddingWriter writer = EmbeddingWriter.csv(out)) {
            writer.write(0, new float[] {1f, 2f});
            writer.write(1, new float[] {3f, 4f});
            writer.finish();
        }
        assertEquals("index,e0,e1\n0,1.0,2.0\n1,3.0,4.0\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outputFileAppearsUnderItsNameOnlyAfterCommit() throws Exception {
        OutputFile output = OutputFile.of("embed", dir.resolve("out.jsonl"));
        try (var stream = output.open()) {
            stream.write("{}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.exists(dir.resolve("out.jsonl.incomplete")));
        assertTrue(Files.notExists(dir.resolve("out.jsonl")));
        output.commit();
        assertTrue(Files.exists(dir.resolve("out.jsonl")));
        assertTrue(Files.notExists(dir.resolve("out.jsonl.incomplete")));
    }
}
