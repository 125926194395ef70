package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress bar's total is the number of texts the embedding will read, whatever the lines say. */
class EmbedCountTest {
    @TempDir
    Path dir;

    private static long count(boolean terminal, String... args) {
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), terminal);
        EmbedCommand embed = new EmbedCommand();
        return EmbedCommand.countTexts(CommandLine.parse("embed", List.of(args), embed.valuedOptions(), embed.switches()),
                console);
    }

    @Test
    void aCsvCountsRecordsNotLines() throws Exception {
        // Three records on seven physical lines: two quoted fields span lines, one line is blank.
        Path csv = Files.writeString(dir.resolve("texts.csv"), """
                id,text
                1,"first line
                second line"
                2,plain

                3,"a, b
                ""c""
                d"
                """);
        assertEquals(3, count(true, "--input", csv.toString(), "--columns", "text"));
    }

    @Test
    void jsonlSkipsBlankLinesAndPlainKeepsThem() throws Exception {
        Path jsonl = Files.writeString(dir.resolve("texts.jsonl"), "{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n");
        assertEquals(2, count(true, "--input", jsonl.toString()));
        Path plain = Files.writeString(dir.resolve("texts.txt"), "a\n\nb\n");
        assertEquals(3, count(true, "--input", plain.toString()), "a blank line is an empty text to embed");
    }

    @Test
    void noPassWhenNoBarIsDrawn() throws Exception {
        Path plain = Files.writeString(dir.resolve("texts.txt"), "a\nb\n");
        assertEquals(-1, count(false, "--input", plain.toString()));
        assertEquals(2, count(false, "one", "two"), "arguments cost nothing to count");
    }
}
