package org.bert4j.bench.report;

import java.util.List;

/**
 * The facts about one benchmark run that JMH does not record: when, on which commit, with which profile, how
 * long it took, and how busy the machine was meanwhile.
 *
 * @param date           the day, e.g. "2026-11-27" (also the result files' names)
 * @param started        when the run started, e.g. "2026-11-27 05:40 UTC"
 * @param commit         the git commit benchmarked, e.g. "1c3cca4" (with "-dirty" for uncommitted changes)
 * @param profile        the profile's name ("quick", "full")
 * @param command        the command that made the run
 * @param runtimeSeconds the whole run's wall time, build excluded
 * @param load           the 1-minute load average, sampled during the run
 * @param failures       the JMH runs that failed (their benchmark class and the reason), empty when all passed
 * @param appendices     Markdown printed by the profile's plain programs (e.g. ModelRatio), appended to the report
 */
public record RunInfo(String date, String started, String commit, String profile, String command,
                      long runtimeSeconds, List<Double> load, List<String> failures, List<Appendix> appendices) {

    /** Copies the lists. */
    public RunInfo {
        load = List.copyOf(load);
        failures = List.copyOf(failures);
        appendices = List.copyOf(appendices);
    }

    /** A program's Markdown output: its name (the program's simple class name) and text. */
    public record Appendix(String name, String markdown) { }

    /** Parses lines of {@code /proc/loadavg} ("9.40 9.52 8.07 7/230 31983"): their 1-minute averages. */
    public static List<Double> parseLoad(List<String> lines) {
        return lines.stream().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> Double.parseDouble(l.split("\\s+")[0])).toList();
    }

    /** The mean 1-minute load average during the run, NaN without samples. */
    public double meanLoad() {
        return load.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The highest 1-minute load average during the run, NaN without samples. */
    public double maxLoad() {
        return load.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
