package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bar reads time from a clock the test steps, so nothing depends on how fast this machine runs (the test slept
 * 1.1 s before, and a stall of the build could fail it).
 */
class ProgressBarTest {
    static final long SECOND = 1_000_000_000L;

    private static Console console(ByteArrayOutputStream err, boolean terminal) {
        return new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    }

    @Test
    void silentWhenStderrIsNotATerminal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        try (ProgressBar bar = new ProgressBar(console(err, false), "embed", "texts", 100, 10, clock::get)) {
            clock.addAndGet(5 * SECOND);
            bar.advance(50);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void silentForShortWork() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        try (ProgressBar bar = new ProgressBar(console(err, true), "embed", "texts", 100, 10, clock::get)) {
            clock.addAndGet(SECOND - 1);   // just under the quiet start
            bar.advance(100);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void silentForAHandfulOfSteps() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        try (ProgressBar bar = new ProgressBar(console(err, true), "embed", "texts", 100, 4, clock::get)) {
            clock.addAndGet(10 * SECOND);
            bar.advance(100);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void longWorkOnATerminalShowsCountsRateAndEta() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(123 * SECOND);   // any origin: only differences count
        try (ProgressBar bar = new ProgressBar(console(err, true), "embed", "texts", 100, 10, clock::get)) {
            bar.advance(10);
            clock.addAndGet(2 * SECOND);
            bar.advance(10);
            String shown = err.toString(StandardCharsets.UTF_8);
            // 20 texts in 2 s: 10 texts/s, 80 left: 8 s.
            assertTrue(shown.contains("20/100 texts · 10.0 texts/s · ETA 0:08"), shown);
            clock.addAndGet(SECOND / 20);
            bar.advance(10);
            assertEquals(shown, err.toString(StandardCharsets.UTF_8), "no redraw within 100 ms of the last");
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("30/100"), "the final state is drawn when the work ends: " + shown);
        assertTrue(shown.endsWith("\n"), "the bar's line is ended when the work ends");
    }

    @Test
    void etaIsFormattedAsMinutesAndSeconds() {
        assertEquals("1:05", ProgressBar.formatSeconds(65));
        assertEquals("1:00:01", ProgressBar.formatSeconds(3601));
    }
}
