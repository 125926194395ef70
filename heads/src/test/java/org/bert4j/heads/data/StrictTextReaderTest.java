package org.bert4j.heads.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes that are not text in the charset read stop with the source, the line and the byte offset, after every line
 * before them; the oracle for the offset and the line is the test's own search of the byte array.
 */
class StrictTextReaderTest {
    static final Charset CP1252 = Charset.forName("windows-1252");

    static ByteArrayOutputStream bytes(String utf8) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** Reads every line until the end or the error; the lines read before an error are kept in {@code lines}. */
    static MalformedTextException readAll(byte[] input, Charset charset, List<String> lines) throws IOException {
        try (BufferedReader reader = new BufferedReader(new StrictTextReader(new ByteArrayInputStream(input), "in.txt", charset))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return null;
        } catch (MalformedTextException e) {
            return e;
        }
    }

    static int newlinesBefore(byte[] input, int offset) {
        int lines = 0;
        for (int i = 0; i < offset; i++) {
            lines += input[i] == '\n' ? 1 : 0;
        }
        return lines;
    }

    @Test
    void aLatin1ByteInUtf8NamesItsLineAndByteOffsetAfterTheLinesBeforeIt() throws IOException {
        // Multi-byte characters before the bad byte: the offset counts bytes, not characters.
        ByteArrayOutputStream out = bytes("naïve café\nsecond – line\n");
        out.writeBytes("caf".getBytes(StandardCharsets.US_ASCII));
        out.write(0xE9);   // é in Latin-1, a lone lead byte in UTF-8
        out.writeBytes(" au lait\nlast\n".getBytes(StandardCharsets.US_ASCII));
        byte[] input = out.toByteArray();
        List<String> lines = new ArrayList<>();
        MalformedTextException e = readAll(input, StandardCharsets.UTF_8, lines);
        int offset = indexOf(input, (byte) 0xE9);
        assertEquals(List.of("naïve café", "second – line"), lines, "the lines before the bad byte come through");
        assertEquals(offset, e.byteOffset());
        assertEquals(newlinesBefore(input, offset) + 1, e.line());
        assertEquals("in.txt, line 3: byte offset " + offset + " (0xE9) is not valid UTF-8", e.getMessage());
    }

    @Test
    void anErrorFarIntoTheInputCountsAcrossBufferRefills() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 30_000; i++) {
            out.writeBytes(("line " + i + " ünïcödé\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(new byte[] {'x', (byte) 0xC3});   // a lead byte cut off by the end of the input
        byte[] input = out.toByteArray();
        List<String> lines = new ArrayList<>();
        MalformedTextException e = readAll(input, StandardCharsets.UTF_8, lines);
        assertEquals(30_000, lines.size());
        assertEquals(input.length - 1, e.byteOffset());
        assertEquals(30_001, e.line());
    }

    @Test
    void theSameBytesReadAsWindows1252AreText() throws IOException {
        byte[] input = {'c', 'a', 'f', (byte) 0xE9, ' ', (byte) 0x93, 'q', (byte) 0x94, '\n'};
        List<String> lines = new ArrayList<>();
        assertEquals(null, readAll(input, CP1252, lines));
        assertEquals(List.of("café “q”"), lines);
    }

    @Test
    void aByteWindows1252LeavesUndefinedIsNotACharacterThere() throws IOException {
        byte[] input = {'o', 'k', '\n', 'a', (byte) 0x81, 'b', '\n'};
        MalformedTextException e = readAll(input, CP1252, new ArrayList<>());
        assertEquals(4, e.byteOffset());
        assertTrue(e.getMessage().endsWith("line 2: byte offset 4 (0x81) is not a character in windows-1252"), e.getMessage());
        assertEquals(null, readAll(input, StandardCharsets.ISO_8859_1, new ArrayList<>()), "ISO-8859-1 maps every byte");
    }

    @Test
    void aNulByteMeansABinaryFileOrUtf16() throws IOException {
        byte[] input = {'X', 0x01, '\n', 'a', 0, 0, 0};
        MalformedTextException e = readAll(input, StandardCharsets.UTF_8, new ArrayList<>());
        assertEquals(4, e.byteOffset());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("NUL byte") && e.getMessage().contains("binary file"), e.getMessage());
        // UTF-16 text is full of zero bytes and is read as the text it is.
        List<String> lines = new ArrayList<>();
        assertEquals(null, readAll("héllo\nwörld\n".getBytes(StandardCharsets.UTF_16), StandardCharsets.UTF_16, lines));
        assertEquals(List.of("héllo", "wörld"), lines);
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes("{\"text\": \"a\"}\n".getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        assertEquals(null, readAll(out.toByteArray(), StandardCharsets.UTF_8, lines));
        assertEquals(List.of("{\"text\": \"a\"}"), lines);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLineFromAPipeIsReadWithoutWaitingForMore() throws IOException {
        PipedOutputStream feed = new PipedOutputStream();
        InputStream pipe = new PipedInputStream(feed, 1 << 16);
        try (BufferedReader reader = new BufferedReader(new StrictTextReader(pipe, "stdin", StandardCharsets.UTF_8))) {
            feed.write("first line\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            assertEquals("first line", reader.readLine(), "returned while the pipe stays open");
            feed.write("second\n".getBytes(StandardCharsets.UTF_8));
            feed.close();
            assertEquals("second", reader.readLine());
            assertEquals(null, reader.readLine());
        }
    }

    @Test
    void theDataReadersReportTheOffsetToo() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("latin1", ".csv");
        try {
            byte[] csv = {'t', 'e', 'x', 't', ',', 'l', '\n', 'c', 'a', 'f', (byte) 0xE9, ',', 'x', '\n'};
            java.nio.file.Files.write(file, csv);
            MalformedTextException e = assertThrows(MalformedTextException.class, () -> CsvReader.read(file));
            assertEquals(10, e.byteOffset());
            assertEquals(2, e.line());
            assertEquals("café", CsvReader.read(file, CP1252).rows().getFirst().fields().getFirst());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void readingPastTheErrorKeepsFailing() throws IOException {
        Reader reader = new StrictTextReader(new ByteArrayInputStream(new byte[] {(byte) 0xFF}), "x", StandardCharsets.UTF_8);
        assertThrows(MalformedTextException.class, reader::read);
        assertThrows(MalformedTextException.class, reader::read);
    }

    private static int indexOf(byte[] input, byte b) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == b) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
