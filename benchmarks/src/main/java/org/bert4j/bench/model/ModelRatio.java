package org.bert4j.bench.model;

import ai.onnxruntime.OrtException;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.TokenBatch;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * all-MiniLM-L6-v2 forward + mean pooling, bert4j against onnxruntime, measured so that a busy shared machine hurts
 * both alike: the engines take turns batch by batch and each keeps its best time (the run least disturbed by other
 * processes), as the JMH averages cannot on a machine whose load changes between benchmarks. Each turn starts after
 * a short pause ({@link #QUIET_MILLIS}): onnxruntime's worker threads spin for a while after a run, waiting for the
 * next one, and a turn that started at once would share the cores with them (and so would the opposite order with
 * bert4j's own, briefer spin), and who goes first rotates every round. Prints a Markdown table of the best
 * milliseconds per batch, sentences per second and their ratio for each pair compared, and, as a check on that one
 * pair of best times, the median of the rounds' own ratios with a 95% interval for it, in how many rounds the first
 * engine was the faster and the sign test's p-value for that count ({@link RoundStatistics}): an interval that holds
 * 1 and a large p say the two engines were level within what the run can tell apart.
 *
 * <p>The engines ({@link Contender}): bert4j FP32 and onnxruntime FP32 by default; with int8 ones, the pairs are FP32
 * against FP32, int8 against int8, and bert4j int8 against its own FP32.
 *
 * <p>Usage: {@code ModelRatio [shapes] [seconds per shape] [threads] [gemm] [engines]}, e.g.
 * {@code ModelRatio 1x16,32x128,8x512,seed 20 2 auto bert4j,bert4j-int8,onnxruntime,onnxruntime-int8}.
 */
public final class ModelRatio {

    /**
     * The pause before each timed turn, longer than either side's threads spin after a run. Measured here:
     * onnxruntime's process used 192% of a core in the 10 ms after a 1×16 run, 98% in the next 10 ms, then 0 (its
     * intra-op threads spin waiting for more work); bert4j's helpers spin 50 µs. With a 20 ms pause the 1×16 ratio
     * read ×0.72–0.77, with onnxruntime's spinning turned off ×1.41, with 50–100 ms ×0.79–1.02: at 20 ms, part of
     * every bert4j turn still shared the cores with onnxruntime's spinning threads.
     */
    static final long QUIET_MILLIS = 50;

    /** The pairs reported, first against second, when both were run. */
    static final List<List<String>> PAIRS = List.of(List.of("bert4j", "onnxruntime"),
            List.of("bert4j-int8", "onnxruntime-int8"), List.of("bert4j-int8", "bert4j"),
            List.of("bert4j-int8", "onnxruntime"));

    private ModelRatio() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        String[] shapes = (args.length > 0 ? args[0] : "1x16,32x128,8x512,seed").split(",");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        String gemm = args.length > 3 ? args[3] : "auto";
        List<String> names = List.of((args.length > 4 ? args[4] : "bert4j,onnxruntime").split(","));
        List<Contender> engines = new ArrayList<>();
        try {
            for (String name : names) {
                engines.add(Contender.open(name, BundledModels.defaultModel(), threads, gemm));
            }
            for (Contender c : engines) {
                System.out.println("- " + c.name() + ": " + c.describe());
                if (c instanceof Contender.Bert4j b) {
                    System.out.println("  GEMM backends: " + b.model.gemmChoices().replace("\n", "\n  "));
                }
            }
            System.out.println();
            System.out.printf("| shape | engines | ms | sentences/s | speed | median of the rounds' ratios [95%% interval]"
                    + " | rounds the first faster | sign test p |%n");
            System.out.printf("|---|---|---:|---:|---:|---:|---:|---:|%n");
            for (String shape : shapes) {
                int[][] ids = ids(engines, shape);
                for (Contender c : engines) {
                    c.prepare(ids);
                }
                int n = engines.size();
                long[] best = new long[n];
                java.util.Arrays.fill(best, Long.MAX_VALUE);
                List<long[]> rounds = new ArrayList<>();
                long end = System.nanoTime() + (long) (seconds * 1e9);
                for (int round = 0; round < 5 || System.nanoTime() < end; round++) {
                    long[] times = new long[n];
                    for (int i = 0; i < n; i++) {
                        int e = (round + i) % n;
                        times[e] = time(engines.get(e));
                        best[e] = Math.min(best[e], times[e]);
                    }
                    rounds.add(times);
                }
                for (List<String> pair : PAIRS) {
                    int a = names.indexOf(pair.get(0));
                    int b = names.indexOf(pair.get(1));
                    if (a < 0 || b < 0) {
                        continue;
                    }
                    double[] ratios = rounds.stream().mapToDouble(t -> (double) t[b] / t[a]).toArray();
                    RoundStatistics stats = RoundStatistics.of(ratios);
                    // Too few rounds for 95%: the interval spans them all, and says how confident it is.
                    String confidence = stats.confidence() < RoundStatistics.CONFIDENCE
                            ? String.format(" (%.1f%%)", 100 * stats.confidence()) : "";
                    double aMs = best[a] / 1e6;
                    double bMs = best[b] / 1e6;
                    System.out.printf("| %s | %s / %s | %.2f / %.2f | %.1f / %.1f | %.2f | %.2f [%.2f, %.2f]%s"
                                    + " | %d of %d | %.2g |%n",
                            shape + " (" + ids.length + " texts)", pair.get(0), pair.get(1), aMs, bMs,
                            ids.length * 1000 / aMs, ids.length * 1000 / bMs, bMs / aMs, stats.median(), stats.low(),
                            stats.high(), confidence, stats.wins(), stats.rounds(), stats.signTestP());
                }
            }
        } finally {
            for (Contender c : engines) {
                c.close();
            }
        }
    }

    /** One turn after the pause, in nanoseconds. */
    private static long time(Contender engine) throws OrtException {
        quiet();
        long start = System.nanoTime();
        engine.run();
        return System.nanoTime() - start;
    }

    private static void quiet() {
        try {
            Thread.sleep(QUIET_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int[][] ids(List<Contender> engines, String shape) throws IOException {
        BertModel model = null;
        for (Contender c : engines) {
            if (c instanceof Contender.Bert4j b) {
                model = b.model;
            }
        }
        if (!shape.equals("seed")) {
            int[] s = Shapes.parse(shape);
            return Shapes.fixed(s[0], s[1], model == null ? 30522 : model.config().vocabSize(), 7);
        }
        try (BertModel tokenizing = model == null ? BertModel.load(BundledModels.defaultModel()) : null) {
            BertModel m = model != null ? model : tokenizing;
            List<Encoding> encodings = new ArrayList<>();
            for (String text : SeedTexts.load()) {
                encodings.add(m.tokenizer().encode(text, EncodeOptions.defaults()));
            }
            TokenBatch packed = TokenBatch.of(encodings);
            int[][] ids = new int[packed.size()][];
            for (int s = 0; s < ids.length; s++) {
                ids[s] = packed.sequenceIds(s);
            }
            System.out.println("seed batch lengths: " + Arrays.toString(packed.sequenceLengths()));
            return ids;
        }
    }
}
