package org.bert4j.bench.model;

import ai.onnxruntime.OrtException;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * all-MiniLM-L6-v2 forward + mean pooling, bert4j against onnxruntime, measured so that a busy shared machine hurts
 * both alike: the two take turns batch by batch and each keeps its best time (the run least disturbed by other
 * processes), as the JMH averages cannot on a machine whose load changes between benchmarks. Each turn starts after
 * a short pause ({@link #QUIET_MILLIS}): onnxruntime's worker threads spin for a while after a run, waiting for the
 * next one, and a turn that started at once would share the cores with them (and so would the opposite order with
 * bert4j's own, briefer spin), and the two swap who goes first every round. Prints a Markdown table of the best
 * milliseconds per batch, sentences per second and their ratio, and, as a check on that one pair of best times,
 * the median of the rounds' own ratios with a 95% interval for it, in how many rounds bert4j was the faster and
 * the sign test's p-value for that count ({@link RoundStatistics}): an interval that holds 1 and a large p say
 * the two engines were level within what the run can tell apart.
 *
 * <p>Usage: {@code ModelRatio [shapes] [seconds per shape] [threads] [gemm]}, e.g.
 * {@code ModelRatio 1x16,32x128,8x512,seed 20 2 auto}.
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

    private ModelRatio() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        String[] shapes = (args.length > 0 ? args[0] : "1x16,32x128,8x512,seed").split(",");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        String gemm = args.length > 3 ? args[3] : "auto";
        try (BertModel model = BertModel.load(BundledModels.defaultModel(), EngineOptions.defaults().withThreads(threads).withGemm(gemm));
             OrtPeer ort = new OrtPeer("/all-minilm-l6-v2.onnx", threads)) {
            System.out.println(model);
            model.warmUp(org.bert4j.bench.BenchmarkJvm.WARM_UP);
            System.out.printf("| shape | bert4j ms | onnxruntime ms | bert4j sentences/s | onnxruntime sentences/s"
                    + " | bert4j / onnxruntime speed | median of the rounds' ratios [95%% interval]"
                    + " | rounds bert4j faster | sign test p |%n");
            System.out.printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|%n");
            for (String shape : shapes) {
                int[][] ids = ids(model, shape);
                TokenBatch batch = Shapes.batch(ids);
                OrtPeer.Inputs inputs = OrtPeer.Inputs.of(ids);
                long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
                List<Double> ratios = new ArrayList<>();
                long end = System.nanoTime() + (long) (seconds * 1e9);
                for (int round = 0; round < 5 || System.nanoTime() < end; round++) {
                    long ours;
                    long theirs;
                    if (round % 2 == 0) {
                        ours = timeBert4j(model, batch);
                        theirs = timeOnnxRuntime(ort, inputs);
                    } else {
                        theirs = timeOnnxRuntime(ort, inputs);
                        ours = timeBert4j(model, batch);
                    }
                    best[0] = Math.min(best[0], ours);
                    best[1] = Math.min(best[1], theirs);
                    ratios.add((double) theirs / ours);
                }
                double oursMs = best[0] / 1e6;
                double ortMs = best[1] / 1e6;
                RoundStatistics rounds = RoundStatistics.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
                // Too few rounds for 95%: the interval spans them all, and says how confident it is.
                String confidence = rounds.confidence() < RoundStatistics.CONFIDENCE
                        ? String.format(" (%.1f%%)", 100 * rounds.confidence()) : "";
                System.out.printf("| %s | %.2f | %.2f | %.1f | %.1f | %.2f | %.2f [%.2f, %.2f]%s | %d of %d | %.2g |%n",
                        shape + " (" + ids.length + " texts)", oursMs, ortMs, ids.length * 1000 / oursMs,
                        ids.length * 1000 / ortMs, ortMs / oursMs, rounds.median(), rounds.low(), rounds.high(),
                        confidence, rounds.wins(), rounds.rounds(), rounds.signTestP());
            }
        }
    }

    /** One bert4j turn after the pause, in nanoseconds. */
    private static long timeBert4j(BertModel model, TokenBatch batch) {
        quiet();
        long start = System.nanoTime();
        MeanPooled.of(model, batch);
        return System.nanoTime() - start;
    }

    /** One onnxruntime turn after the pause, in nanoseconds. */
    private static long timeOnnxRuntime(OrtPeer ort, OrtPeer.Inputs inputs) throws OrtException {
        quiet();
        long start = System.nanoTime();
        ort.meanPooled(inputs);
        return System.nanoTime() - start;
    }

    private static void quiet() {
        try {
            Thread.sleep(QUIET_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int[][] ids(BertModel model, String shape) throws IOException {
        if (!shape.equals("seed")) {
            int[] s = Shapes.parse(shape);
            return Shapes.fixed(s[0], s[1], model.config().vocabSize(), 7);
        }
        List<Encoding> encodings = new ArrayList<>();
        for (String text : SeedTexts.load()) {
            encodings.add(model.tokenizer().encode(text, EncodeOptions.defaults()));
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
