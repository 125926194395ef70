package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training's general product C = op(A)·op(B) + β·C on every backend and kernel set, against double precision. Bound
 * (Higham §3.1): a float dot product of k terms, in any order, is within γ_k·Σ|a||b| of the exact value; adding it
 * to C (β = 1) and rounding adds u·(|C| + |result|). The scalar set sums in double and rounds once.
 */
class MatMulTest {

    /** m, n, k: single rows and columns, sizes past the micro-kernel's strips, panels and k slice. */
    private static final int[][] SHAPES = {{1, 1, 1}, {1, 17, 3}, {5, 7, 9}, {13, 33, 64}, {64, 48, 389}, {7, 130, 600},
            {200, 40, 31}, {0, 5, 3}, {4, 0, 3}, {3, 5, 0}};

    static Stream<Arguments> backends() {
        List<Arguments> cases = new ArrayList<>();
        for (Kernels kernels : KernelSets.all().toList()) {
            cases.add(Arguments.of(kernels.name(), kernels.matMul()));
        }
        cases.add(Arguments.of("openblas", Backends.openBlasMatMul()));
        return cases.stream();
    }

    static Stream<Arguments> javaBackends() {
        return KernelSets.all().map(kernels -> Arguments.of(kernels.name(), kernels.matMul()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void everyTransposeAndBetaIsWithinTheDotProductBound(String name, MatMul matMul) {
        SplittableRandom random = new SplittableRandom(7);
        for (int[] shape : SHAPES) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f}) {
                        check(name, matMul, null, random, shape[0], shape[1], shape[2], transA, transB, beta);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void theParallelProductIsWithinTheSameBound(String name, MatMul matMul) {
        SplittableRandom random = new SplittableRandom(8);
        try (ComputePool pool = ComputePool.create(2)) {
            for (int[] shape : new int[][] {{300, 40, 70}, {20, 500, 64}, {384, 384, 256}}) {
                check(name, matMul, pool, random, shape[0], shape[1], shape[2], true, false, 1f);
                check(name, matMul, pool, random, shape[0], shape[1], shape[2], false, true, 0f);
            }
        }
    }

    /**
     * The Java products sum each element in the same order however they split a product over threads (OpenBLAS's
     * kernels may not: its runs are repeatable at a given thread count only).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("javaBackends")
    void theParallelProductHasTheBitsOfOneCall(String name, MatMul matMul) {
        SplittableRandom random = new SplittableRandom(9);
        try (ComputePool pool = ComputePool.create(2)) {
            for (int[] shape : new int[][] {{64, 100, 70}, {300, 40, 70}, {20, 500, 64}, {100, 33, 200}}) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        int m = shape[0];
                        int n = shape[1];
                        int k = shape[2];
                        float[] a = Reference.random(random, m * k, 1);
                        float[] b = Reference.random(random, n * k, 1);
                        float[] c0 = Reference.random(random, m * n, 1);
                        float[] c1 = c0.clone();
                        int lda = transA ? m : k;
                        int ldb = transB ? k : n;
                        matMul.multiply(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 1f, c0, 0, n);
                        matMul.parallel(pool, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 1f, c1, 0, n);
                        for (int i = 0; i < c0.length; i++) {
                            if (Float.floatToRawIntBits(c0[i]) != Float.floatToRawIntBits(c1[i])) {
                                fail(name + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB="
                                        + transB + ": C[" + i + "] " + c1[i] + " on two threads, " + c0[i] + " on one");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejectedByName() {
        MatMul matMul = Kernels.scalar().matMul();
        float[] x = new float[12];
        expect("beta", () -> matMul.multiply(false, false, 3, 4, 1, x, 0, 1, x, 0, 4, 0.5f, new float[12], 0, 4));
        expect("a holds", () -> matMul.multiply(false, false, 3, 4, 5, x, 0, 5, new float[20], 0, 4, 0f, x, 0, 4));
        expect("b: leading dimension", () -> matMul.multiply(false, true, 3, 4, 2, x, 0, 2, x, 0, 1, 0f, x, 0, 4));
        expect("c holds", () -> matMul.multiply(false, false, 3, 4, 1, x, 0, 1, x, 0, 4, 0f, new float[11], 0, 4));
        expect("m must", () -> matMul.multiply(false, false, -1, 4, 1, x, 0, 1, x, 0, 4, 0f, x, 0, 4));
    }

    private static void expect(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "\"" + e.getMessage() + "\" should name " + fragment);
    }

    private static void check(String name, MatMul matMul, ComputePool pool, SplittableRandom random, int m, int n,
                              int k, boolean transA, boolean transB, float beta) {
        // Operands at an offset, with a leading dimension wider than the matrix: the strides must be honoured.
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 2;
        int ldc = n + 1;
        float[] a = Reference.random(random, 5 + Math.max(1, aRows) * lda, 1);
        float[] b = Reference.random(random, 4 + Math.max(1, bRows) * ldb, 1);
        float[] c = Reference.random(random, 3 + Math.max(1, m) * ldc, 1);
        if (beta == 0f && c.length > 3) {
            c[3] = Float.NaN;   // β = 0 overwrites: what C held, NaN included, must not leak in
        }
        float[] before = c.clone();
        if (pool == null) {
            matMul.multiply(transA, transB, m, n, k, a, 5, lda, b, 4, ldb, beta, c, 3, ldc);
        } else {
            matMul.parallel(pool, transA, transB, m, n, k, a, 5, lda, b, 4, ldb, beta, c, 3, ldc);
        }
        boolean doubleSums = name.equals("scalar");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = beta == 0f ? 0 : before[3 + i * ldc + j];
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[5 + p * lda + i] : a[5 + i * lda + p];
                    double y = transB ? b[4 + j * ldb + p] : b[4 + p * ldb + j];
                    exact += x * y;
                    magnitude += Math.abs(x * y);
                }
                double got = c[3 + i * ldc + j];
                double bound = (doubleSums ? (k + 1) * Bounds.U_DOUBLE * magnitude : Bounds.gamma(k) * magnitude)
                        + Bounds.U * (Math.abs(exact) + (beta == 0f ? 0 : Math.abs(before[3 + i * ldc + j])))
                        + Double.MIN_NORMAL;
                if (!(Math.abs(got - exact) <= bound)) {
                    fail(name + (pool == null ? "" : " parallel") + " m=" + m + " n=" + n + " k=" + k + " transA="
                            + transA + " transB=" + transB + " beta=" + beta + " C[" + i + "][" + j + "] = " + got
                            + ", exact " + exact + ", error " + Math.abs(got - exact) + " > " + bound);
                }
            }
        }
        // Nothing outside C's m × n block changes (the padding of each row past n, and before the offset).
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - 3;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside && Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(before[idx])) {
                fail(name + " wrote outside C at index " + idx);
            }
        }
    }
}
