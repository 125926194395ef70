package org.bert4j.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the JMH JSON files of one run into {@code <out>/<date>.md}, {@code <date>.svg} and {@code <date>.json}
 * (every result, merged, one per line). The {@code benchmarks/run} script calls it; the options carry what JMH
 * does not record:
 * <pre>
 * Report --out DIR --date DAY --started TEXT --commit ID --profile NAME --command TEXT --runtime SECONDS
 *        [--load FILE (lines of /proc/loadavg)] [--failures FILE (one failed run per line)]
 *        [--appendix FILE (a program's Markdown output, appended; repeatable)] RESULT.json...
 * </pre>
 */
public final class Report {

    private Report() {
    }

    /** Runs the generator; a wrong argument is a one-line error and exit status 2. */
    public static void main(String[] args) throws IOException {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Report: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Writes the three files and returns the Markdown report's path. */
    public static Path run(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        List<Path> inputs = new ArrayList<>();
        List<RunInfo.Appendix> appendices = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                if (args[i].equals("--appendix")) {
                    Path file = Path.of(args[++i]);
                    // benchmarks/run names it main-K-Class.md: K numbers the profile's programs, one may run twice.
                    String name = file.getFileName().toString().replaceFirst("^main-([0-9]+-)?", "")
                            .replaceFirst("\\.md$", "");
                    appendices.add(new RunInfo.Appendix(name, Files.readString(file, StandardCharsets.UTF_8)));
                    continue;
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                inputs.add(Path.of(args[i]));
            }
        }
        for (String required : List.of("out", "date", "commit", "profile")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing --" + required + "; usage: Report --out DIR --date DAY "
                        + "--commit ID --profile NAME [--started TEXT] [--command TEXT] [--runtime SECONDS] "
                        + "[--load FILE] [--failures FILE] [--appendix FILE]... RESULT.json...");
            }
        }
        List<JmhResult> results = new ArrayList<>();
        List<String> merged = new ArrayList<>();
        for (Path p : inputs) {
            results.addAll(JmhJson.read(p));
            for (JsonElement e : JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonArray()) {
                merged.add(e.toString());
            }
        }
        RunInfo run = new RunInfo(options.get("date"), options.getOrDefault("started", options.get("date")),
                options.get("commit"), options.get("profile"),
                options.getOrDefault("command", "benchmarks/run " + options.get("profile")),
                Long.parseLong(options.getOrDefault("runtime", "0")),
                options.containsKey("load") ? RunInfo.parseLoad(lines(options.get("load"))) : List.of(),
                options.containsKey("failures") ? lines(options.get("failures")) : List.of(), appendices);
        Machine machine = Machine.probe();
        FpPeak peak = FpPeak.of(machine);
        Analysis analysis = Analysis.of(results);

        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        String svgName = run.date() + ".svg";
        Files.writeString(out.resolve(svgName), Charts.of(analysis, run, peak).render(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(run.date() + ".json"), "[\n" + String.join(",\n", merged) + "\n]\n",
                StandardCharsets.UTF_8);
        Path md = out.resolve(run.date() + ".md");
        Files.writeString(md, MarkdownReport.render(analysis, machine, peak, run, svgName), StandardCharsets.UTF_8);
        return md;
    }

    private static List<String> lines(String file) throws IOException {
        Path p = Path.of(file);
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList() : List.of();
    }
}
