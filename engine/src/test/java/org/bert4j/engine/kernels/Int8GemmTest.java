package org.bert4j.engine.kernels;

import static org.bert4j.engine.kernels.GemmTest.assertClose;
import static org.bert4j.engine.kernels.GemmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bert4j.folder.Int8Weight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Int8 weights in every backend and kernel set. Every backend multiplies by W' = fl(q · scale), so the oracle is the
 * double-precision product with W', and the bound that of an FP32 GEMM (Higham §3.1): γ_{k+1}·(Σ|x·W'| + |b|), in
 * double for the scalar set. A wrong byte, scale or panel offset is off by a whole weight. Beyond the bound, the
 * vector GEMM widens each block of panels to exactly the FP32 panels of W' and runs the same micro-kernel on them:
 * its int8 results are bit for bit those of its FP32 GEMM given W'.
 */
class Int8GemmTest {

    static final ComputePool ONE = ComputePool.create(1);
    static final ComputePool TWO = ComputePool.create(2);

    @org.junit.jupiter.api.AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
    }

    /** rows, out, in: odd sizes, partial panels, k past the 512-step slice, many rows (the rows split over tasks). */
    static final int[][] SHAPES = {
        {1, 1, 1}, {1, 17, 3}, {5, 7, 9}, {7, 33, 17}, {13, 100, 64}, {16, 1152, 384}, {20, 40, 1100},
        {200, 300, 600}, {400, 20, 30},
    };

    static Stream<Arguments> backendsAndShapes() {
        List<Arguments> cases = new ArrayList<>();
        for (Kernels kernels : KernelSets.all().toList()) {
            for (String backend : List.of("java", "auto")) {
                for (int threads : new int[] {1, 2}) {
                    for (int[] shape : SHAPES) {
                        cases.add(Arguments.of(backend, kernels, threads, shape[0], shape[1], shape[2]));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} threads={2} rows={3} out={4} in={5}")
    @MethodSource("backendsAndShapes")
    void int8LinearIsWithinTheDotProductBoundOfTheWidenedWeights(String backend, Kernels kernels, int threads,
                                                                int rows, int out, int in) {
        ComputePool pool = threads == 1 ? ONE : TWO;
        SplittableRandom random = new SplittableRandom(rows * 31L + out * 7L + in);
        float[] x = Reference.random(random, rows * in, 1);
        Int8Weight q = Int8Weight.quantize(Reference.random(random, out * in, 0.5), out, in);
        float[] widened = q.dequantize();
        float[] bias = Reference.random(random, out, 1);
        Gemm gemm = GemmTest.backend(backend, kernels, pool);
        PackedWeight packed = gemm.packInt8(q.values(), q.scales(), out, in);

        float[] y = new float[rows * out];
        gemm.linear(x, rows, packed, bias, Activation.GELU, y);
        float[] fp32 = new float[rows * out];
        gemm.linear(x, rows, gemm.pack(widened, out, in), bias, fp32);
        float[] noActivation = new float[rows * out];
        gemm.linear(x, rows, packed, bias, noActivation);
        assertClose(Reference.linear(x, rows, widened, out, in, bias),
                Reference.magnitude(x, rows, widened, out, in, bias), noActivation, GemmTest.tolerance(gemm, kernels, in));
        float[] activated = noActivation.clone();
        kernels.activate(Activation.GELU, activated, 0, activated.length);
        assertArrayEquals(activated, y, "the activation fused into the int8 GEMM is the activation applied after it");
        if (!backend.equals("auto") || rows < 384) {
            // The same backend on W' in FP32: bit for bit (auto would use OpenBLAS for FP32 from 384 rows).
            assertArrayEquals(fp32, noActivation, "int8 widened inside the GEMM = the FP32 GEMM on W'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void int8WeightsHoldAQuarterOfTheBytes(Kernels kernels) {
        Gemm gemm = kernels.gemm(ONE);
        int out = 64;
        int in = 96;
        PackedWeight packed = gemm.packInt8(new byte[out * in], new float[out], out, in);
        assertTrue(packed.isInt8());
        assertEquals(out * in + 4L * out, packed.ownedBytes(), "one byte per weight and one float per row");
    }

    @Test
    void openBlasMultipliesInt8WeightsWidenedToFp32() {
        Kernels kernels = Kernels.scalar();
        Gemm openBlas = Backends.openBlas(kernels, ONE);
        Gemm auto = Backends.auto(kernels, ONE, 384);
        SplittableRandom random = new SplittableRandom(8);
        int rows = 9;
        int out = 21;
        int in = 33;
        float[] x = Reference.random(random, rows * in, 1);
        Int8Weight q = Int8Weight.quantize(Reference.random(random, out * in, 1), out, in);
        float[] widened = q.dequantize();
        for (Gemm gemm : List.of(openBlas, auto)) {
            PackedWeight packed = gemm.packInt8(q.values(), q.scales(), out, in);
            assertFalse(packed.isInt8(), gemm + " holds FP32");
            float[] y = new float[rows * out];
            gemm.linear(x, rows, packed, null, y);
            assertClose(Reference.linear(x, rows, widened, out, in, null),
                    Reference.magnitude(x, rows, widened, out, in, null), y, Bounds.gamma(in + 1));
        }
    }

    /**
     * Past its line auto hands an int8 weight to OpenBLAS widened back from the vector GEMM's panels: the same call
     * on the same FP32 values as OpenBLAS given W' itself, so bit for bit its result (a panel offset or scale off
     * by one would move whole weights).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void autoPastTheLineGivesOpenBlasTheWidenedWeights(Kernels kernels) {
        if (kernels.vectorBits() == 0) {
            return; // auto on the scalar set is OpenBLAS alone, which holds int8 weights widened at load
        }
        Gemm auto = Backends.auto(kernels, TWO, 0);
        Gemm openBlas = Backends.openBlas(kernels, TWO);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int out = shape[1];
            int in = shape[2];
            SplittableRandom random = new SplittableRandom(rows * 17L + out * 5L + in);
            float[] x = Reference.random(random, rows * in, 1);
            Int8Weight q = Int8Weight.quantize(Reference.random(random, out * in, 0.5), out, in);
            float[] bias = Reference.random(random, out, 1);
            PackedWeight packed = auto.packInt8(q.values(), q.scales(), out, in);
            assertTrue(packed.isInt8(), "auto keeps the weight in int8");
            float[] y = new float[rows * out];
            auto.linear(x, rows, packed, bias, Activation.GELU, y);
            float[] expected = new float[rows * out];
            openBlas.linear(x, rows, openBlas.pack(q.dequantize(), out, in), bias, Activation.GELU, expected);
            assertArrayEquals(expected, y, "rows=" + rows + " out=" + out + " in=" + in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void badInt8WeightsAreRejectedByName(Kernels kernels) {
        Gemm gemm = kernels.gemm(ONE);
        assertMessage("valuesOutIn", () -> gemm.packInt8(new byte[11], new float[3], 3, 4));
        assertMessage("valuesOutIn", () -> gemm.packInt8(null, new float[3], 3, 4));
        assertMessage("scales", () -> gemm.packInt8(new byte[12], new float[2], 3, 4));
        assertMessage("scales[1]", () -> gemm.packInt8(new byte[12], new float[] {1, Float.NaN, 1}, 3, 4));
        assertMessage("scales[2]", () -> gemm.packInt8(new byte[12], new float[] {1, 1, -1}, 3, 4));
        assertMessage("out must", () -> gemm.packInt8(new byte[12], new float[3], 0, 4));
        PackedWeight fp32 = gemm.pack(new float[12], 3, 4);
        assertMessage("FP32", () -> fp32.int8("int8 row-major"));
    }

    @Test
    void anInt8WeightInAnotherLayoutIsRejectedWithBothLayoutsNamed() {
        PackedWeight rowMajor = Kernels.scalar().gemm(ONE).packInt8(new byte[12], new float[3], 3, 4);
        Gemm vector = Kernels.vector(256).gemm(ONE);
        assertMessage("int8 row-major", () -> vector.linear(new float[4], 1, rowMajor, null, new float[3]));
    }
}
