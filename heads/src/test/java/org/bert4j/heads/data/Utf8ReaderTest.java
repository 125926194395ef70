package org.bert4j.heads.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict UTF-8 whose errors name the file, line and byte; the data readers all read through it. */
class Utf8ReaderTest {

    @TempDir
    Path dir;

    private static String readAll(Reader r) throws IOException {
        StringWriter out = new StringWriter();
        r.transferTo(out);
        return out.toString();
    }

    @Test
    void validUtf8ReadsBackExactlyAcrossBufferBoundaries() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("é東\uD83D\uDE00 line ").append(i).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        // A stream that hands out 7 bytes at a time splits multi-byte characters between reads.
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        assertEquals(text.toString(), readAll(new Utf8Reader(trickle, "t")));
        assertEquals("", readAll(new Utf8Reader(new ByteArrayInputStream(new byte[0]), "t")));
    }

    @Test
    void aLatin1ByteIsAnErrorNamingTheLineAndTheByteOffset() {
        byte[] latin1 = "headline,category\nok,A\ncaf\u00e9,B\n".getBytes(StandardCharsets.ISO_8859_1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> readAll(new Utf8Reader(new ByteArrayInputStream(latin1), "news.csv")));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("news.csv, line 3: byte 0xE9 is not UTF-8 (byte offset 26)"), e.getMessage());
        assertTrue(e.getMessage().contains("Latin-1") && e.getMessage().contains("iconv"), e.getMessage());
    }

    @Test
    void anInputEndingInsideACharacterIsAnError() {
        byte[] cut = {'a', '\n', (byte) 0xE6, (byte) 0x9D};
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> readAll(new Utf8Reader(new ByteArrayInputStream(cut), "t.txt")));
        assertTrue(e.getMessage().startsWith("t.txt, line 2: the input ends inside a UTF-8 character (byte offset 2)"),
                e.getMessage());
    }

    @Test
    void everyDataReaderReportsAnotherEncodingWithItsLine() throws IOException {
        Path csv = Files.write(dir.resolve("seed.csv"), "headline,short_description,category\nCaf\u00e9,x,FOOD\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path jsonl = Files.write(dir.resolve("seed.jsonl"), "{\"headline\":\"ok\"}\n{\"headline\":\"Caf\u00e9\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path conll = Files.write(dir.resolve("seed.conll"), "EU B-ORG\n\nZ\u00fcrich B-LOC\n".getBytes(StandardCharsets.ISO_8859_1));
        FieldMapping fields = new FieldMapping(List.of("headline"), null, null);
        for (var read : List.<ThrowingRead>of(() -> CsvReader.read(csv), () -> JsonlDataset.read(jsonl, fields),
                () -> ConllDataset.read(conll))) {
            DataFormatException e = assertThrows(DataFormatException.class, read::run);
            assertTrue(e.getMessage().contains(", line 2: byte 0xE9 is not UTF-8")
                    || e.getMessage().contains(", line 3: byte 0xFC is not UTF-8"), e.getMessage());
        }
    }

    private interface ThrowingRead {
        Object run() throws IOException;
    }
}
