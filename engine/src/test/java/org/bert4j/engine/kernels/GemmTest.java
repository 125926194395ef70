package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GEMM backend, on every kernel set, against the double-precision reference. Bound (Higham §3.1): a float dot
 * product of k terms plus a bias, accumulated in any order, is within γ_{k+1}·(Σ_k |x_ik·w_jk| + |b_j|) of the exact
 * value, however the backend blocks or orders the sum; the scalar set sums in double. A wrong index or a missed term
 * shows up as an error of the order of that magnitude itself.
 */
class GemmTest {

    static final ComputePool ONE = ComputePool.create(1);
    static final ComputePool TWO = ComputePool.create(2);

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
    }

    /** rows, out, in: odd sizes, single rows and columns, sizes past the kernel's k slice and panel block. */
    static final int[][] SHAPES = {
        {1, 1, 1}, {1, 17, 3}, {5, 7, 9}, {6, 16, 8}, {7, 33, 17}, {13, 100, 64}, {1, 1152, 384},
        {64, 48, 389}, {63, 65, 130}, {20, 40, 1100}, {200, 300, 600}, {97, 15, 31}, {400, 20, 30},
    };

    /**
     * The kernels' own GEMM on every set and both thread counts; auto on every vector set; OpenBLAS (whose kernels only
     * apply the fused activation) on the scalar set.
     */
    static Stream<Arguments> backendsAndShapes() {
        List<Arguments> cases = new ArrayList<>();
        for (Kernels kernels : KernelSets.all().toList()) {
            for (String backend : List.of("java", "auto", "openblas")) {
                if (backend.equals("auto") && kernels.vectorBits() == 0
                        || backend.equals("openblas") && kernels.vectorBits() != 0) {
                    continue;
                }
                for (int threads : new int[] {1, 2}) {
                    for (int[] shape : SHAPES) {
                        cases.add(Arguments.of(backend, kernels, threads, shape[0], shape[1], shape[2]));
                    }
                }
            }
        }
        return cases.stream();
    }

    static Gemm backend(String name, Kernels kernels, ComputePool pool) {
        return Backends.byName(name, kernels, pool, 384);
    }

    @ParameterizedTest(name = "{0} {1} threads={2} rows={3} out={4} in={5}")
    @MethodSource("backendsAndShapes")
    void linearIsWithinTheDotProductBound(String backend, Kernels kernels, int threads, int rows, int out, int in) {
        ComputePool pool = threads == 1 ? ONE : TWO;
        SplittableRandom random = new SplittableRandom(rows * 31L + out * 7L + in);
        float[] x = Reference.random(random, rows * in, 1);
        float[] w = Reference.random(random, out * in, 0.5);
        float[] bias = Reference.random(random, out, 1);
        Gemm gemm = backend(backend, kernels, pool);
        double tolerance = tolerance(gemm, kernels, in);

        float[] y = new float[rows * out];
        gemm.linear(x, rows, gemm.pack(w, out, in), bias, y);
        assertClose(Reference.linear(x, rows, w, out, in, bias), Reference.magnitude(x, rows, w, out, in, bias), y,
                tolerance);

        float[] noBias = new float[rows * out];
        gemm.linear(x, rows, gemm.pack(w.clone(), out, in), null, noBias);
        assertClose(Reference.linear(x, rows, w, out, in, null), Reference.magnitude(x, rows, w, out, in, null),
                noBias, tolerance);
    }

    /** γ_{in+1} in float, or in double for the scalar set's own GEMM (plus the final rounding to float). */
    static double tolerance(Gemm gemm, Kernels kernels, int in) {
        boolean doubleSums = kernels.vectorBits() == 0 && gemm.name().equals("java");
        return doubleSums ? (in + 1) * Bounds.U_DOUBLE + Bounds.U : Bounds.gamma(in + 1);
    }

    static Stream<Arguments> allBackends() {
        List<Arguments> cases = new ArrayList<>();
        for (Kernels kernels : KernelSets.all().toList()) {
            for (String backend : List.of("java", "openblas", "auto")) {
                cases.add(Arguments.of(backend, kernels));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allBackends")
    void weightsPackedFromLittleEndianBytesGiveTheSameResult(String backend, Kernels kernels) {
        int rows = 11;
        int out = 37;
        int in = 45;
        SplittableRandom random = new SplittableRandom(5);
        float[] x = Reference.random(random, rows * in, 1);
        float[] w = Reference.random(random, out * in, 1);
        Gemm gemm = backend(backend, kernels, TWO);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate((long) w.length * Float.BYTES);
            MemorySegment.copy(w, 0, bytes, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                    w.length);
            float[] fromSegment = new float[rows * out];
            gemm.linear(x, rows, gemm.pack(bytes, out, in), null, fromSegment);
            float[] fromArray = new float[rows * out];
            gemm.linear(x, rows, gemm.pack(w, out, in), null, fromArray);
            assertEquals(0, java.util.Arrays.compare(fromArray, fromSegment), "same weights, same result");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allBackends")
    void readOnlySegmentsAsSafetensorsHandsThemOutArePackedWithoutCopyingOrFailing(String backend, Kernels kernels) {
        int rows = 3;
        int out = 20;
        int in = 7;
        SplittableRandom random = new SplittableRandom(9);
        float[] x = Reference.random(random, rows * in, 1);
        float[] w = Reference.random(random, out * in, 1);
        Gemm gemm = backend(backend, kernels, ONE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate((long) w.length * Float.BYTES);
            MemorySegment.copy(w, 0, bytes, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                    w.length);
            float[] y = new float[rows * out];
            gemm.linear(x, rows, gemm.pack(bytes.asReadOnly(), out, in), null, y);
            assertClose(Reference.linear(x, rows, w, out, in, null), Reference.magnitude(x, rows, w, out, in, null), y,
                    tolerance(gemm, kernels, in));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allBackends")
    void fusedActivationEqualsLinearThenActivation(String backend, Kernels kernels) {
        // Few rows (OpenBLAS splits the columns) and many rows past the Java kernel's k slice (the activation only
        // after the last slice; OpenBLAS splits the rows).
        int[][] shapes = {{9, 45, 30}, {50, 45, 600}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int out = shape[1];
            int in = shape[2];
            SplittableRandom random = new SplittableRandom(11);
            float[] x = Reference.random(random, rows * in, 1);
            float[] w = Reference.random(random, out * in, 1);
            float[] bias = Reference.random(random, out, 1);
            Gemm gemm = backend(backend, kernels, TWO);
            PackedWeight packed = gemm.pack(w, out, in);
            for (Activation activation : Activation.values()) {
                float[] fused = new float[rows * out];
                gemm.linear(x, rows, packed, bias, activation, fused);
                float[] separate = new float[rows * out];
                gemm.linear(x, rows, packed, bias, separate);
                kernels.activate(activation, separate, 0, separate.length);
                assertEquals(0, java.util.Arrays.compare(separate, fused), activation.name() + " " + rows + " rows");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#vectors")
    void autoUsesTheVectorKernelBelowItsThresholdAndOpenBlasFromIt(Kernels kernels) {
        int threshold = 8;
        Gemm auto = Backends.auto(kernels, ONE, threshold);
        Gemm java = kernels.gemm(ONE);
        Gemm openBlas = Backends.openBlas(kernels, ONE);
        SplittableRandom random = new SplittableRandom(11);
        float[] weight = Reference.random(random, 40 * 16, 1);
        PackedWeight w = auto.pack(weight, 16, 40);
        for (int rows : new int[] {threshold, threshold + 5, 1, threshold - 1}) {
            float[] x = Reference.random(random, rows * 40, 1);
            float[] y = new float[rows * 16];
            auto.linear(x, rows, w, null, y);
            boolean small = rows < threshold;
            assertEquals(small || rows == threshold - 1, w.hasPanels(),
                    rows + " rows: the vector GEMM's panels are packed on its first use");
            Gemm expected = small ? java : openBlas;
            float[] z = new float[rows * 16];
            expected.linear(x, rows, expected.pack(weight, 16, 40), null, z);
            assertArrayEquals(z, y, rows + " rows go to " + expected.name());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allBackends")
    void twoThreadsShareOnePackedWeight(String backend, Kernels kernels) throws Exception {
        int rows = 40;
        int out = 70;
        int in = 50;
        SplittableRandom random = new SplittableRandom(3);
        float[] w = Reference.random(random, out * in, 1);
        Gemm gemm = backend(backend, kernels, TWO);
        PackedWeight packed = gemm.pack(w, out, in);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                float[] x = Reference.random(new SplittableRandom(100 + t), rows * in, 1);
                double[] expected = Reference.linear(x, rows, w, out, in, null);
                double[] magnitude = Reference.magnitude(x, rows, w, out, in, null);
                futures.add(callers.submit(() -> {
                    for (int repeat = 0; repeat < 30; repeat++) {
                        float[] y = new float[rows * out];
                        gemm.linear(x, rows, packed, null, y);
                        assertClose(expected, magnitude, y, tolerance(gemm, kernels, in));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            callers.shutdown();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allBackends")
    void badArgumentsAreRejectedByName(String backend, Kernels kernels) {
        Gemm gemm = backend(backend, kernels, ONE);
        PackedWeight w = gemm.pack(new float[12], 3, 4);
        assertMessage("weightOutIn", () -> gemm.pack(new float[11], 3, 4));
        assertMessage("out must", () -> gemm.pack(new float[12], 0, 4));
        assertMessage("in must", () -> gemm.pack(new float[12], 3, -4));
        assertMessage("weightOutIn", () -> gemm.pack((float[]) null, 3, 4));
        assertMessage("weightOutIn", () -> gemm.pack(MemorySegment.ofArray(new byte[47]), 3, 4));
        assertMessage("x holds", () -> gemm.linear(new float[7], 2, w, null, new float[6]));
        assertMessage("y holds", () -> gemm.linear(new float[8], 2, w, null, new float[5]));
        assertMessage("bias must", () -> gemm.linear(new float[8], 2, w, new float[4], new float[6]));
        assertMessage("rows must", () -> gemm.linear(new float[8], -1, w, null, new float[6]));
        assertMessage("w must", () -> gemm.linear(new float[8], 2, null, null, new float[6]));
        float[] same = new float[12];
        assertMessage("y must", () -> gemm.linear(same, 2, w, null, same));
    }

    @Test
    void aWeightPackedForOneBackendIsRejectedByAnotherWithItsName() {
        Kernels kernels = Kernels.vector();
        PackedWeight forOpenBlas = Backends.openBlas(kernels, ONE).pack(new float[12], 3, 4);
        assertMessage("openblas", () -> kernels.gemm(ONE).linear(new float[4], 1, forOpenBlas, null, new float[3]));
        PackedWeight forJava = kernels.gemm(ONE).pack(new float[12], 3, 4);
        assertMessage("java", () -> Backends.openBlas(kernels, ONE).linear(new float[4], 1, forJava, null,
                new float[3]));
    }

    @Test
    void aClosedWeightSegmentFailsCleanlyInsteadOfCrashing() {
        Gemm gemm = Backends.openBlas(Kernels.scalar(), ONE);
        PackedWeight w;
        try (Arena arena = Arena.ofConfined()) {
            w = gemm.pack(arena.allocate(3 * 4 * Float.BYTES), 3, 4);
        }
        assertThrows(IllegalStateException.class, () -> gemm.linear(new float[8], 2, w, null, new float[6]));
    }

    @Test
    void zeroRowsIsANoOp() {
        for (String backend : List.of("java", "openblas", "auto")) {
            Gemm gemm = backend(backend, Kernels.scalar(), TWO);
            gemm.linear(new float[0], 0, gemm.pack(new float[12], 3, 4), null, new float[0]);
        }
    }

    @Test
    void unknownBackendNamesAreRejected() {
        Kernels kernels = Kernels.vector();
        assertMessage("mkl", () -> backend("mkl", kernels, ONE));
        assertEquals("java", backend(" Java ", kernels, ONE).name());
        assertEquals("openblas", backend("openblas", kernels, ONE).name());
        assertEquals("auto", backend("auto", kernels, ONE).name());
        assertEquals("openblas", backend("auto", Kernels.scalar(), ONE).name(),
                "auto on the scalar kernels: OpenBLAS, the scalar GEMM being a reference");
    }

    static void assertClose(double[] expected, double[] magnitude, float[] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            if (!(error <= tolerance * magnitude[i] + Bounds.U * Math.abs(expected[i]) + 1e-30)) {
                throw new AssertionError("element " + i + ": expected " + expected[i] + " got " + actual[i]
                        + " (error " + error + " > " + tolerance + " × " + magnitude[i] + ")");
            }
        }
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" should name " + fragment);
    }
}
