package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.engine.EngineOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that goes away ({@code bert4j embed ... | head -1}) stops the work within one batch and the command exits
 * quietly with 141, as a Unix tool stopped by SIGPIPE does; other write errors (a full disk) stay failures. Before,
 * the JDK's PrintStream swallowed the error and embed went on through the whole input, then exited 0.
 */
class ClosedStdoutTest {
    static final int TEXTS = 200;
    static final int BATCH = 4;

    @TempDir
    static Path dir;
    static Path model;
    static Path heads;

    @BeforeAll
    static void tinyModelAndHeads() throws Exception {
        model = TinyModel.in(dir.resolve("tiny"));
        heads = dir.resolve("heads");
        try (MultiTaskModel m = MultiTaskModel.on(BertBackbone.open(model, 64, EngineOptions.defaults()))) {
            m.addClassificationHead("topic", List.of("a", "b", "c"), Pooling.MEAN, 1);
            m.addTokenClassificationHead("ner", List.of("PER", "ORG"), TagScheme.BIO, 2);
            m.save(heads);
        }
    }

    /**
     * Accepts its first {@code good} writes, then fails every write with {@code message}, keeping the distinct lines
     * it was offered after that (a retried flush offers the same lines again).
     */
    static final class BreakingPipe extends OutputStream {
        private final int good;
        private final String message;
        int writes;
        final java.util.Set<String> refusedLines = new java.util.HashSet<>();

        BreakingPipe(int good, String message) {
            this.good = good;
            this.message = message;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (++writes > good) {
                new String(b, off, len, StandardCharsets.UTF_8).lines().forEach(refusedLines::add);
                throw new IOException(message);
            }
        }
    }

    record Outcome(int code, String err, BreakingPipe pipe) {}

    static Outcome run(BreakingPipe pipe, String... args) {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < TEXTS; i++) {
            input.append("text number ").append(i).append('\n');
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                Stdout.over(pipe), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = Main.standard().run(List.of(args), console);
        return new Outcome(code, err.toString(StandardCharsets.UTF_8), pipe);
    }

    static void assertStoppedQuietlyWithinABatch(Outcome outcome, String command, int batch) {
        assertEquals(Main.OUTPUT_CLOSED, outcome.code(), command + ": " + outcome.err());
        assertEquals("", outcome.err(), command + " says nothing on stderr (no stack trace, no error line)");
        // The first batch goes through, the next one's flush fails and the command stops: had it gone on, the refused
        // lines would be every remaining text's (196), not one batch's.
        assertEquals(batch, outcome.pipe().refusedLines.size(), command + " kept writing after the reader had gone");
    }

    @Test
    void embedStopsWithinABatchWhenTheReaderGoes() {
        Outcome outcome = run(new BreakingPipe(1, "Broken pipe"), "embed", "--model", model.toString(),
                "--batch-size", Integer.toString(BATCH));
        assertStoppedQuietlyWithinABatch(outcome, "embed", BATCH);
    }

    @Test
    void classifyAndNerStopWithinABatchWhenTheReaderGoes() {
        for (String command : List.of("classify", "ner")) {
            Outcome outcome = run(new BreakingPipe(1, "Broken pipe"), command, "--heads", heads.toString(),
                    "--batch-size", Integer.toString(BATCH));
            assertStoppedQuietlyWithinABatch(outcome, command, BATCH);
        }
    }

    @Test
    void tokenizeStopsAtTheNextTextWhenTheReaderGoes() {
        Outcome outcome = run(new BreakingPipe(1, "Broken pipe"), "tokenize", "--model", model.toString());
        assertStoppedQuietlyWithinABatch(outcome, "tokenize", 1);
    }

    @Test
    void aFullDiskIsStillAFailureNamingTheCause() {
        Outcome outcome = run(new BreakingPipe(1, "No space left on device"), "embed", "--model", model.toString(),
                "--batch-size", Integer.toString(BATCH));
        assertEquals(Main.FAILURE, outcome.code(), outcome.err());
        assertTrue(outcome.err().startsWith("bert4j embed: cannot write to stdout: No space left on device"), outcome.err());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
    }
}
