package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.tokenizer.BertTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input in another encoding than the one read: one line naming the file (or stdin), the line and the byte offset, and
 * the {@code --encoding} that reads it; with that option, the text the user meant. Before, every such input failed
 * with the JDK's bare "Input length = 1".
 */
class InputEncodingTest {
    static final Charset CP1252 = Charset.forName("windows-1252");
    static final String TEXTS = "first line\nCafé “crème” à la carte\nlast\n";

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void tiny() throws Exception {
        model = TinyModel.in(dir.resolve("tiny"));
    }

    static void assertOneLineNaming(Cli run, String source, int line, long offset) {
        assertEquals(Main.FAILURE, run.code(), run.err());
        assertEquals(1, run.err().lines().count(), "one line, no stack trace: " + run.err());
        String expected = source + ", line " + line + ": byte offset " + offset + " (0xE9) is not valid UTF-8; Latin-1 /"
                + " Windows-1252 text reads with --encoding windows-1252";
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Input length"), run.err());
    }

    @Test
    void aWindows1252FileIsNamedWithItsLineAndOffsetThenReadWithEncoding() throws Exception {
        Path input = Files.write(dir.resolve("latin.txt"), TEXTS.getBytes(CP1252));
        long offset = "first line\nCaf".length();   // ASCII before the é: one byte a character
        assertOneLineNaming(Cli.run("embed", "--model", model.toString(), "--input", input.toString()), input.toString(), 2, offset);

        Cli run = Cli.run("embed", "--model", model.toString(), "--input", input.toString(), "--encoding", "windows-1252");
        assertEquals(Main.OK, run.code(), run.err());
        List<String> meant = TEXTS.lines().toList();
        try (SentenceEncoder encoder = SentenceEncoder.load(model, EncoderOptions.defaults())) {
            float[][] expected = encoder.encode(meant);
            for (int i = 0; i < meant.size(); i++) {
                JsonArray printed = JsonParser.parseString(run.lines().get(i)).getAsJsonObject().getAsJsonArray("embedding");
                float[] values = new float[printed.size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = printed.get(j).getAsFloat();
                }
                // Float.toString round-trips: equal up to the engine's last bits between two forwards.
                assertArrayEquals(expected[i], values, 1e-5f, meant.get(i));
            }
        }
    }

    @Test
    void aLatin1CsvAndLatin1StdinAreNamedToo() throws Exception {
        byte[] csv = "headline,short_description\nplain,row\nCafé,au lait\n".getBytes(StandardCharsets.ISO_8859_1);
        Path input = Files.write(dir.resolve("latin.csv"), csv);
        long offset = "headline,short_description\nplain,row\nCaf".length();
        assertOneLineNaming(Cli.run("tokenize", "--model", model.toString(), "--input", input.toString(), "--columns",
                "headline,short_description"), input.toString(), 3, offset);
        Cli read = Cli.run("tokenize", "--model", model.toString(), "--input", input.toString(), "--columns",
                "headline,short_description", "--encoding", "ISO-8859-1");
        assertEquals(Main.OK, read.code(), read.err());
        BertTokenizer tokenizer = BertTokenizer.load(model);
        assertEquals(TokenizeCommand.toJson(tokenizer.encode("Café au lait", org.bert4j.tokenizer.EncodeOptions.defaults()
                .withMaxLength(512))).toString(), read.lines().get(1));

        assertOneLineNaming(Cli.runWithStdin("one\nCafé\n".getBytes(StandardCharsets.ISO_8859_1), "tokenize", "--model",
                model.toString()), "stdin", 2, "one\nCaf".length());
    }

    @Test
    void aBinaryFileIsCalledOne() throws Exception {
        Path input = Files.write(dir.resolve("weights.bin"), new byte[] {0x58, 0x01, 0, 0, 0, 0, 0, 0, '{', '"'});
        Cli run = Cli.run("tokenize", "--model", model.toString(), "--input", input.toString());
        assertEquals(Main.FAILURE, run.code(), run.err());
        assertTrue(run.err().contains(input + ", line 1: byte offset 2 is a NUL byte") && run.err().contains("binary file")
                && run.err().contains("UTF-16 text reads with --encoding UTF-16") && !run.err().contains("Latin-1"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void trainNamesTheLineAndOffsetOfItsDataAndTakesEncoding() throws Exception {
        byte[] csv = "headline,short_description,category\nA,b,X\nCafé,c,Y\n".getBytes(CP1252);
        Path data = Files.write(dir.resolve("train.csv"), csv);
        Cli run = Cli.run("train", "--model", model.toString(), "--data", data.toString(), "--label-column", "category",
                "--out", dir.resolve("never").toString());
        assertOneLineNaming(run, data.toString(), 3, "headline,short_description,category\nA,b,X\nCaf".length());
        Cli read = Cli.run("train", "--model", model.toString(), "--data", data.toString(), "--encoding", "windows-1252",
                "--out", dir.resolve("never").toString());
        assertEquals(Main.USAGE, read.code(), read.err());
        assertTrue(read.err().contains("nothing to train"), "the data was read: " + read.err());
    }

    @Test
    void anUnknownEncodingIsAUsageError() {
        Cli run = Cli.run("embed", "--encoding", "latin-9000", "text");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().startsWith("bert4j embed: --encoding 'latin-9000' is not a charset"), run.err());
    }
}
