package org.bert4j.bench.report;

import java.util.Locale;
import java.util.OptionalDouble;

/** How the report prints numbers: three significant digits or so, a dash for what was not measured. */
final class Numbers {

    private Numbers() {
    }

    /** 1234 → "1234", 56.78 → "56.8", 3.456 → "3.46", 0.01234 → "0.0123"; NaN → "—". */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String fmt(OptionalDouble v) {
        return v.isPresent() ? fmt(v.getAsDouble()) : "—";
    }

    /** A ratio with two decimals and a "×": "×1.23". */
    static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "×%.2f", v) : "—";
    }

    /** A fraction as a percentage: 0.4321 → "43.2%". */
    static String percent(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.1f%%", 100 * v.getAsDouble()) : "—";
    }

    /** A score with its error: "123 ± 4.5"; the error is omitted when JMH gave none. */
    static String withError(Metric m) {
        return Double.isFinite(m.error()) ? fmt(m.score()) + " ± " + fmt(m.error()) : fmt(m.score());
    }

    /** 754 → "12 min 34 s". */
    static String duration(long seconds) {
        return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }
}
