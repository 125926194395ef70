package org.bert4j.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One row of a JMH JSON result file: which benchmark method ran with which {@code @Param} values, its primary score
 * and its secondary metrics (the {@code @AuxCounters}, e.g. {@code gflop}).
 *
 * @param benchmark  the fully qualified method, e.g. {@code org.bert4j.bench.kernels.GemmBenchmark.linear}
 * @param mode       JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param threads    how many threads ran the benchmark method at once (JMH's {@code -t}); throughputs are their sum
 * @param params     the {@code @Param} values of this run (empty when the benchmark has none)
 * @param primary    the benchmark's own score
 * @param secondary  the secondary metrics by name
 * @param jdkVersion the JDK that ran it, e.g. {@code 25.0.3}
 * @param vmVersion  the VM build, e.g. {@code 25.0.3+9-LTS}
 */
public record JmhResult(String benchmark, String mode, int threads, Map<String, String> params, Metric primary,
                        Map<String, Metric> secondary, String jdkVersion, String vmVersion) {

    /** Copies the maps so a result cannot change after it is read. */
    public JmhResult {
        // Copies that keep JMH's order, so reports list parameters as the benchmark declares them.
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        secondary = Collections.unmodifiableMap(new LinkedHashMap<>(secondary));
    }

    /** The benchmark class's simple name, e.g. {@code GemmBenchmark}. */
    public String className() {
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /** The last package segment, e.g. {@code kernels}, {@code model}, {@code tokenizer}. */
    public String area() {
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        String pkg = owner.substring(0, Math.max(owner.lastIndexOf('.'), 0));
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }

    /** The benchmark method's name, e.g. {@code linear}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** A {@code @Param} value, if the benchmark has that parameter. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A secondary metric, if the benchmark reported one under that name. */
    public Optional<Metric> metric(String name) {
        return Optional.ofNullable(secondary.get(name));
    }
}
