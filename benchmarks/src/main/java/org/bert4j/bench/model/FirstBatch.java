package org.bert4j.bench.model;

import org.bert4j.convert.BundledModels;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.bench.tokenizer.NewsTexts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The first batch of a fresh JVM against a warm one: each round starts a new JVM (the launcher's flags, no AOT
 * cache) that loads all-MiniLM-L6-v2 and embeds the same 32 news documents at 128 tokens a few times in a row. The
 * first batch pays for the JIT compiling the kernels while it runs; the later ones show the warm speed. Prints a
 * Markdown table per round: load, first batch, warm batch (the median of the second half) and their ratio.
 *
 * <p>Usage: {@code FirstBatch [rounds] [batches per JVM]}, e.g. {@code FirstBatch 3 8}.
 */
public final class FirstBatch {
    private static final int TEXTS = 32;
    private static final int MAX_LENGTH = 128;

    private FirstBatch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        if (rounds < 1 || batches < 4) {
            throw new IllegalArgumentException("usage: FirstBatch [rounds >= 1] [batches per JVM >= 4]");
        }
        BundledModels.defaultModel(); // converted (once) here, not inside a timed child
        System.out.printf("First batch of a fresh JVM: %d news documents at %d tokens, default options%n%n",
                TEXTS, MAX_LENGTH);
        System.out.println("| round | load ms | first batch ms | warm batch ms | first / warm |");
        System.out.println("|---:|---:|---:|---:|---:|");
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] times = runChild(batches);
            double first = times[1];
            double warm = RoundStatistics.median(Arrays.copyOfRange(times, 2 + (batches - 1) / 2, times.length));
            ratios[r] = first / warm;
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.2f |%n", r + 1, times[0], first, warm,
                    ratios[r]);
        }
        System.out.printf(Locale.ROOT, "%nMedian first / warm: %.2f%n", RoundStatistics.median(ratios));
    }

    /** Load time, then each batch's time, in milliseconds, from a fresh JVM. */
    private static double[] runChild(int batches) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-Xss8m", "-Xmx2g", "-Xlog:disable", "-Xlog:all=warning:stderr"));
        for (String property : new String[] {"bert4j.sharedData", "bert4j.cacheDir"}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstBatch.class.getName(), "--child",
                Integer.toString(batches)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Double> times = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                times.add(Double.parseDouble(line.trim()));
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || times.size() != batches + 1) {
            throw new IOException("the child JVM exited with " + exit + " after " + times.size() + " of "
                    + (batches + 1) + " timings: " + String.join(" ", command));
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** In the fresh JVM: prints the load's milliseconds, then each batch's, one per line. */
    private static void child(int batches) throws IOException {
        List<String> texts = Arrays.asList(NewsTexts.documents(4)).subList(0, TEXTS);
        long start = System.nanoTime();
        try (SentenceEncoder encoder = SentenceEncoder.load(BundledModels.defaultModel(),
                EncoderOptions.defaults().withMaxLength(MAX_LENGTH))) {
            System.out.println((System.nanoTime() - start) / 1e6);
            for (int b = 0; b < batches; b++) {
                long t = System.nanoTime();
                encoder.encode(texts);
                System.out.println((System.nanoTime() - t) / 1e6);
            }
        }
    }
}
