package org.bert4j.folder;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Int8WeightTest {

    private static final double U = 0x1p-24;

    private static float[] random(SplittableRandom random, int n, double scale) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (random.nextGaussian() * scale);
        }
        return w;
    }

    /**
     * Bound: q = rint(fl(W / s)) is within 1/2 + 127u of W / s (the division's rounding, |W / s| ≤ 127), and
     * W' = fl(q · s) adds u·|W'|: |W' − W| ≤ s · (1/2 + 127u) + u·|W'|. A wrong scale or an off-by-one q breaks it.
     */
    @Test
    void everyWeightIsWithinHalfAScaleStepOfTheOriginal() {
        SplittableRandom random = new SplittableRandom(3);
        int out = 37;
        int in = 301;
        float[] w = random(random, out * in, 0.05);
        Int8Weight q = Int8Weight.quantize(w, out, in);
        float[] back = q.dequantize();
        for (int j = 0; j < out; j++) {
            double s = q.scales()[j];
            for (int k = 0; k < in; k++) {
                int i = j * in + k;
                double bound = s * (0.5 + 127 * U) + U * Math.abs(back[i]);
                assertTrue(Math.abs(back[i] - w[i]) <= bound, "row " + j + " col " + k + ": " + w[i] + " -> " + back[i]);
            }
        }
    }

    @Test
    void eachRowsLargestMagnitudeBecomes127AndNoValueIsClipped() {
        float[] w = {0.5f, -2f, 1f, 0.25f, 3f, -1f, 7f, -7f, 0.001f};
        Int8Weight q = Int8Weight.quantize(w, 3, 3);
        assertArrayEquals(new byte[] {32, -127, 64, 11, 127, -42, 127, -127, 0}, q.values());
        assertArrayEquals(new float[] {2f / 127, 3f / 127, 7f / 127}, q.scales());
    }

    @Test
    void aRowOfZerosHasScaleZeroAndDequantizesToZeros() {
        Int8Weight q = Int8Weight.quantize(new float[] {0, 0, 0, 1, -1, 0.5f}, 2, 3);
        assertEquals(0f, q.scales()[0]);
        assertArrayEquals(new float[] {0, 0, 0, 1, -1, 64f / 127}, q.dequantize());
    }

    @Test
    void nonFiniteWeightsAreAnErrorNamingTheirPosition() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Int8Weight.quantize(new float[] {1, 2, 3, Float.NaN}, 2, 2));
        assertTrue(e.getMessage().contains("[1][1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Int8Weight.quantize(new float[3], 2, 2));
    }

    @Test
    void storedScalesMustBeFiniteAndNotNegative() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Int8Weight(2, 1, new byte[2], new float[] {1, -1}));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Int8Weight(1, 1, new byte[1], new float[] {Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new Int8Weight(2, 2, new byte[3], new float[2]));
    }

    /** Rows are quantized independently: quantizing the stack of Q, K and V is stacking their quantized forms. */
    @Test
    void stackingQuantizedWeightsEqualsQuantizingTheStack() {
        SplittableRandom random = new SplittableRandom(5);
        float[] a = random(random, 4 * 6, 1);
        float[] b = random(random, 3 * 6, 2);
        float[] both = new float[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals(Int8Weight.quantize(both, 7, 6),
                Int8Weight.stack(Int8Weight.quantize(a, 4, 6), Int8Weight.quantize(b, 3, 6)));
    }

    @Test
    void theEncoderLinearWeightsAreTheQuantizedOnes() {
        assertTrue(Int8Weight.isQuantized("encoder.layer.0.attention.self.query.weight"));
        assertTrue(Int8Weight.isQuantized("bert.encoder.layer.11.attention.self.value.weight"));
        assertTrue(Int8Weight.isQuantized("encoder.layer.3.attention.output.dense.weight"));
        assertTrue(Int8Weight.isQuantized("encoder.layer.3.intermediate.dense.weight"));
        assertTrue(Int8Weight.isQuantized("encoder.layer.3.output.dense.weight"));
        assertFalse(Int8Weight.isQuantized("encoder.layer.3.output.dense.bias"));
        assertFalse(Int8Weight.isQuantized("encoder.layer.3.output.LayerNorm.weight"));
        assertFalse(Int8Weight.isQuantized("embeddings.word_embeddings.weight"));
        assertFalse(Int8Weight.isQuantized("pooler.dense.weight"));
        assertFalse(Int8Weight.isQuantized("classifier.weight"));
        assertEquals("encoder.layer.0.output.dense.weight_scale",
                Int8Weight.scaleName("encoder.layer.0.output.dense.weight"));
    }
}
