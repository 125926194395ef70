package org.bert4j.engine.kernels;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times the Java GEMM and OpenBLAS on a model's weight shapes at the row counts of {@link BackendChoice#ROWS}, for
 * the {@code auto} backend to choose between them by what this machine does: OpenBLAS's kernels for the CPU (or
 * those {@code OPENBLAS_CORETYPE} forces), the vector width, the cache sizes. The two take turns at each size, each
 * keeping its best time, so a burst of load from another process costs both alike. Once per machine
 * ({@link BackendChoiceCache} keeps the result).
 */
public final class BackendTiming {
    private BackendTiming() {}

    /** One timed call: {@code rows} rows times a weight [out × in] on the Java GEMM or OpenBLAS, in nanoseconds. */
    @FunctionalInterface
    public interface Timer {
        long nanos(boolean java, int out, int in, int rows);
    }

    /**
     * Turns per backend at a size in each pass: more where a call is short (a single disturbance weighs more, and
     * the turns cost little), two from 256 rows, where each call is long enough to average out short noise.
     */
    static int rounds(int rows) {
        return rows <= 64 ? 3 : 2;
    }

    /**
     * Passes over all shapes and sizes, each size keeping its best turn of any pass: a burst of load (another
     * process, the JIT compiling something else) lasting a second or so spoils one pass's turns, seldom both.
     */
    static final int PASSES = 2;

    /** Times every shape ({out, in}) at every row count of {@code rows}, the two backends taking turns. */
    public static List<BackendChoice.Timing> measure(List<int[]> shapes, int[] rows, Timer timer) {
        long[][] java = untimed(shapes.size(), rows.length);
        long[][] openBlas = untimed(shapes.size(), rows.length);
        for (int pass = 0; pass < PASSES; pass++) {
            for (int s = 0; s < shapes.size(); s++) {
                int out = shapes.get(s)[0];
                int in = shapes.get(s)[1];
                for (int i = 0; i < rows.length; i++) {
                    for (int r = 0; r < rounds(rows[i]); r++) {
                        // Who goes first alternates: the second of a pair finds the caches warm with the first's input.
                        boolean javaFirst = r % 2 == 0;
                        long first = Math.max(1, timer.nanos(javaFirst, out, in, rows[i]));
                        long second = Math.max(1, timer.nanos(!javaFirst, out, in, rows[i]));
                        java[s][i] = Math.min(java[s][i], javaFirst ? first : second);
                        openBlas[s][i] = Math.min(openBlas[s][i], javaFirst ? second : first);
                    }
                }
            }
        }
        List<BackendChoice.Timing> timings = new ArrayList<>();
        for (int s = 0; s < shapes.size(); s++) {
            timings.add(new BackendChoice.Timing(shapes.get(s)[0], shapes.get(s)[1], rows.clone(), java[s],
                    openBlas[s]));
        }
        return timings;
    }

    /** Best times per shape and size, none taken yet. */
    private static long[][] untimed(int shapes, int sizes) {
        long[][] best = new long[shapes][sizes];
        for (long[] row : best) {
            Arrays.fill(row, Long.MAX_VALUE);
        }
        return best;
    }

    /**
     * The real timer: each backend multiplies random activations by a random weight of each shape (values do not
     * change the time of a float GEMM), packed once per shape and backend. Before the first timing the Java GEMM
     * runs until the JIT has compiled it ({@link #warmUp}): timed while interpreted it would lose every size.
     */
    public static Timer running(Gemm java, Gemm openBlas, List<int[]> shapes) {
        int maxRows = BackendChoice.ROWS[BackendChoice.ROWS.length - 1];
        int maxIn = 0;
        int maxOut = 0;
        for (int[] s : shapes) {
            maxOut = Math.max(maxOut, s[0]);
            maxIn = Math.max(maxIn, s[1]);
        }
        SplittableRandom random = new SplittableRandom(42);
        float[] x = randoms(random, maxRows * maxIn);
        float[] y = new float[maxRows * maxOut];
        java.util.Map<String, PackedWeight[]> packed = new java.util.HashMap<>();
        for (int[] s : shapes) {
            float[] w = randoms(random, s[0] * s[1]);
            packed.put(BackendChoice.key(s[0], s[1]), new PackedWeight[] {java.pack(w, s[0], s[1]),
                    openBlas.pack(w, s[0], s[1])});
        }
        for (int[] s : shapes) {
            openBlas.linear(x, 16, packed.get(BackendChoice.key(s[0], s[1]))[1], null, y);
        }
        PackedWeight[] first = packed.get(BackendChoice.key(shapes.get(0)[0], shapes.get(0)[1]));
        long warming = System.nanoTime();
        warmUp(java, first[0], openBlas, first[1], x, y);
        long compiled = System.nanoTime();
        awaitQuietCompiler();
        if (Boolean.getBoolean("bert4j.gemm.verbose")) {
            System.err.printf("bert4j: the Java GEMM compiled in %.2f s, the JIT quiet %.2f s later%n",
                    (compiled - warming) / 1e9, (System.nanoTime() - compiled) / 1e9);
        }
        return (useJava, out, in, rows) -> {
            PackedWeight[] w = packed.get(BackendChoice.key(out, in));
            long start = System.nanoTime();
            (useJava ? java : openBlas).linear(x, rows, useJava ? w[0] : w[1], null, y);
            return System.nanoTime() - start;
        };
    }

    /**
     * Runs the Java GEMM at 16 and 256 rows (its two loop orders) until the JIT has compiled it, or five seconds
     * pass. Compiled is told from the time, not from the JIT (which the JVM does not report): within 3× of OpenBLAS
     * on the same call (the Vector API interpreted, or compiled by C1, runs far slower than either), three times
     * (a settled time would be a stricter test, but on a busy machine it may never settle).
     */
    static void warmUp(Gemm java, PackedWeight w, Gemm openBlas, PackedWeight o, float[] x, float[] y) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long reference = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            openBlas.linear(x, 256, o, null, y);
            reference = Math.min(reference, System.nanoTime() - start);
        }
        int fast = 0;
        while (fast < 3 && System.nanoTime() < deadline) {
            java.linear(x, 16, w, null, y);
            long start = System.nanoTime();
            java.linear(x, 256, w, null, y);
            if (System.nanoTime() - start <= 3 * reference) {
                fast++;
            }
        }
    }

    /**
     * Waits (at most two seconds) until the JIT has compiled nothing for 100 ms: on two cores a compiler thread
     * busy with other code (a fresh JVM compiles for seconds) takes a core from one backend's turn, and a choice
     * drawn from such turns is cached for good.
     */
    static void awaitQuietCompiler() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() - 0.5);
        }
        return v;
    }
}
