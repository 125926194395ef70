package org.bert4j.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test inputs: real files captured on the benchmark machine, and results built by hand for the ratio math. */
final class Samples {

    private Samples() {
    }

    /** A test resource's text: jmh-gemm.json and jmh-elementwise.json are JMH 1.37's own output, verbatim. */
    static String text(String name) {
        try (InputStream in = Samples.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource copied to a file, for the readers that take a path. */
    static Path file(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name), text(name), StandardCharsets.UTF_8);
    }

    /** A result with one primary score, e.g. {@code result("model.MiniLmBenchmark.bert4j", 2.0, "ops/s", "shape", "32x128")}. */
    static JmhResult result(String benchmark, double score, String unit, String... params) {
        return result(benchmark, score, unit, Map.of(), params);
    }

    /** The same result, as run by {@code threads} JMH threads at once. */
    static JmhResult onThreads(JmhResult r, int threads) {
        return new JmhResult(r.benchmark(), r.mode(), threads, r.params(), r.primary(), r.secondary(), r.jdkVersion(),
                r.vmVersion());
    }

    static JmhResult result(String benchmark, double score, String unit, Map<String, Metric> secondary,
                            String... params) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        String mode = unit.endsWith("/op") ? "avgt" : "thrpt";
        return new JmhResult("org.bert4j.bench." + benchmark, mode, 1, p, new Metric(score, Double.NaN, unit), secondary,
                "25.0.3", "25.0.3+9-LTS");
    }
}
