package org.bert4j.bench;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Keeps the benchmarks from rotting without running them for real: every JMH benchmark method found in
 * {@code META-INF/BenchmarkList} runs one call, in this JVM (forks = 0, so surefire's Vector API and native-access
 * flags apply), with no warm-up and its smallest parameters. A benchmark that throws fails its test.
 */
class EveryBenchmarkRunsOnceTest {

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    @Test
    void theSmallestParametersAreTheLeastSizeAndEveryName() {
        assertEquals(List.of("1x16", "seed"), smallest(new String[] {"32x128", "1x16", "8x512", "seed"}));
        assertEquals(List.of("16"), smallest(new String[] {"16", "512", "4096"}));
        assertEquals(List.of("java", "openblas"), smallest(new String[] {"java", "openblas"}));
    }

    @Test
    void theBenchmarkListNamesEveryAreaOfTheModule() {
        List<String> names = benchmarks().stream().map(BenchmarkListEntry::getUsername).toList();
        assertFalse(names.isEmpty(), "no benchmarks in META-INF/BenchmarkList: did JMH's annotation processor run?");
        for (String area : List.of(".kernels.", ".model.", ".tokenizer.")) {
            assertFalse(names.stream().noneMatch(n -> n.contains(area)), "no benchmark in package " + area + ": " + names);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBenchmarkRunsOnceWithItsSmallestParameters() {
        return benchmarks().stream().map(b -> DynamicTest.dynamicTest(
                b.getUsername().replace("org.bert4j.bench.", "") + " " + smallestParams(b), () -> runOnce(b)));
    }

    private static void runOnce(BenchmarkListEntry benchmark) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getUsername()) + "$")
                .forks(0)
                .warmupIterations(0)
                .mode(Mode.SingleShotTime)
                .measurementIterations(1)
                .measurementBatchSize(1)
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        for (Map.Entry<String, List<String>> p : smallestParams(benchmark).entrySet()) {
            options.param(p.getKey(), p.getValue().toArray(String[]::new));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        int paramSets = smallestParams(benchmark).values().stream().mapToInt(List::size).reduce(1, (x, y) -> x * y);
        assertEquals(paramSets, results.size(), benchmark.getUsername() + ": expected one result per parameter set");
    }

    private static List<BenchmarkListEntry> benchmarks() {
        return new ArrayList<>(BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of()));
    }

    /**
     * For each {@code @Param}: the value whose numbers multiply to the least ("1x16" before "32x128", "16" before
     * "4096"), since sizes drive the cost, plus every value without a number ("java", "openblas", "seed"), since
     * each of those is a different code path.
     */
    static Map<String, List<String>> smallestParams(BenchmarkListEntry benchmark) {
        Map<String, List<String>> chosen = new java.util.TreeMap<>();
        for (Map.Entry<String, String[]> p : benchmark.getParams().orElse(Map.of()).entrySet()) {
            chosen.put(p.getKey(), smallest(p.getValue()));
        }
        return chosen;
    }

    static List<String> smallest(String[] values) {
        List<String> chosen = new ArrayList<>();
        String best = null;
        double bestSize = Double.MAX_VALUE;
        for (String v : values) {
            double size = size(v);
            if (Double.isNaN(size)) {
                chosen.add(v);
            } else if (size < bestSize) {
                best = v;
                bestSize = size;
            }
        }
        if (best != null) {
            chosen.addFirst(best);
        }
        return chosen;
    }

    private static double size(String value) {
        Matcher m = NUMBER.matcher(value);
        double product = 1;
        boolean any = false;
        while (m.find()) {
            product *= Double.parseDouble(m.group());
            any = true;
        }
        return any ? product : Double.NaN;
    }
}
