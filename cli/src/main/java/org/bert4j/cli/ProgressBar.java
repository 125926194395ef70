package org.bert4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr with throughput and ETA. Silent unless stderr is a terminal and the
 * work is long enough to deserve one (a handful of steps finish before anyone would read it).
 */
public final class ProgressBar implements AutoCloseable {
    private static final int MIN_STEPS = 5;
    private static final long REDRAW_NANOS = 100_000_000L;
    /** Work that ends within this time never shows a bar: a flash of one is noise. */
    private static final long QUIET_START_NANOS = 1_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final String unit;
    private final long total;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long done;
    private long lastDrawNanos;
    private String suffix = "";
    private boolean drawn;

    /**
     * @param total the number of units of work, or -1 when unknown (then only counts and rate are shown)
     * @param steps how many updates the work will make (batches); below a handful, the bar stays silent
     */
    public ProgressBar(Console console, String label, String unit, long total, long steps) {
        this(console, label, unit, total, steps, System::nanoTime);
    }

    /** As the public constructor, reading time from {@code nanoTime} (tests step a clock instead of sleeping). */
    ProgressBar(Console console, String label, String unit, long total, long steps, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.err = console.err();
        this.enabled = console.errIsTerminal() && (steps < 0 || steps >= MIN_STEPS);
        this.label = label;
        this.unit = unit;
        this.total = total;
    }

    /** Adds {@code units} of finished work. */
    public void advance(long units) {
        done += units;
        redraw(false);
    }

    /** Text shown after the counts, e.g. the running loss. */
    public void suffix(String text) {
        this.suffix = text == null ? "" : text;
    }

    private void redraw(boolean force) {
        if (!enabled) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!force && (now - lastDrawNanos < REDRAW_NANOS || now - startNanos < QUIET_START_NANOS)) {
            return;
        }
        drawn = true;
        lastDrawNanos = now;
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder("\r").append(label).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            line.append(done).append('/').append(total);
        } else {
            line.append(done);
        }
        line.append(String.format(Locale.ROOT, " %s · %.1f %s/s", unit, rate, unit));
        if (total > 0 && rate > 0 && done < total) {
            line.append(" · ETA ").append(formatSeconds((total - done) / rate));
        }
        if (!suffix.isEmpty()) {
            line.append(" · ").append(suffix);
        }
        line.append("\u001b[K");
        err.print(line);
        err.flush();
    }

    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (enabled && drawn) {
            redraw(true);
            err.println();
        }
    }
}
