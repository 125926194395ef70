package org.bert4j.bench.report;

/**
 * One number JMH measured: its score, the half-width of its 99.9% confidence interval (NaN when JMH had too few
 * iterations to give one) and its unit, e.g. {@code ops/s} or {@code ms/op}.
 */
public record Metric(double score, double error, String unit) {

    /**
     * The score as a rate per second, whatever the unit: {@code ops/ms} is scaled, {@code ms/op} inverted, so that
     * throughput and average-time results compare on one axis (higher is faster).
     */
    public double perSecond() {
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("unit \"" + unit + "\": expected <a>/<b>, e.g. ops/s or ms/op");
        }
        if (parts[1].equals("op")) {
            return 1.0 / (score * secondsIn(parts[0]));
        }
        return score / secondsIn(parts[1]);
    }

    /** Seconds in one JMH time unit. */
    static double secondsIn(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1.0;
            case "min" -> 60.0;
            case "hr" -> 3600.0;
            case "day" -> 86400.0;
            default -> throw new IllegalArgumentException("unknown JMH time unit \"" + timeUnit + "\"");
        };
    }
}
