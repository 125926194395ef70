package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static Console console(ByteArrayOutputStream err, boolean terminal) {
        return new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    }

    @Test
    void silentWhenStderrIsNotATerminal() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(console(err, false), "embed", "texts", 100, 10)) {
            Thread.sleep(1100);
            bar.advance(50);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void silentForShortWork() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(console(err, true), "embed", "texts", 100, 10)) {
            bar.advance(100);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void longWorkOnATerminalShowsCountsRateAndEta() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(console(err, true), "embed", "texts", 100, 10)) {
            bar.advance(10);
            Thread.sleep(1100);
            bar.advance(10);
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("20/100") && shown.contains("texts/s") && shown.contains("ETA"), shown);
        assertTrue(shown.endsWith("\n"), "the bar's line is ended when the work ends");
    }

    @Test
    void etaIsFormattedAsMinutesAndSeconds() {
        assertEquals("1:05", ProgressBar.formatSeconds(65));
        assertEquals("1:00:01", ProgressBar.formatSeconds(3601));
    }
}
