package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.Bounds;
import org.bert4j.engine.kernels.Exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The softmax's vector exp against {@link Math#exp} in double precision, over every 997th float in [−87.33, 0], each
 * within {@link Bounds#expRelative}: the polynomial's own fit, the rounding of evaluating it, and the reduction's
 * error, n·|ln2_float − ln2|, which grows with |x| (from 1.2e-7 near 0 to 3e-7 at −87).
 */
class VectorExpTest {
    private static final VectorSpecies<Float> S = Width.SPECIES;

    @Test
    void relativeErrorStaysWithinTheDocumentedBounds() {
        double nearZero = 0;   // x ≥ −10: the exponentials a softmax row is made of
        double far = 0;        // x < −10
        float[] in = new float[S.length()];
        float[] out = new float[S.length()];
        int filled = 0;
        // Floats of one sign are ordered like their bit patterns: walk from −0 down to LOWEST.
        int end = Float.floatToRawIntBits(Exp.LOWEST);
        for (int bits = Float.floatToRawIntBits(-0f); ; bits += 997) {
            boolean done = bits > end;
            if (!done) {
                in[filled++] = Float.intBitsToFloat(bits);
            }
            if (filled == in.length || (done && filled > 0)) {
                VectorExp.exp(FloatVector.fromArray(S, in, 0)).intoArray(out, 0);
                for (int i = 0; i < filled; i++) {
                    double exact = Math.exp(in[i]);
                    double error = Math.abs(out[i] - exact) / exact;
                    assertTrue(error <= Bounds.expRelative(in[i]), "exp(" + in[i] + "): relative error " + error
                            + " > bound " + Bounds.expRelative(in[i]));
                    if (in[i] >= -10) {
                        nearZero = Math.max(nearZero, error);
                    } else {
                        far = Math.max(far, error);
                    }
                }
                filled = 0;
            }
            if (done) {
                break;
            }
        }
        // Not just small: of the order of float rounding (a wrong coefficient or reduction shows up as 1e-5 or more).
        assertTrue(nearZero > 1e-9, "suspiciously exact: " + nearZero);
    }

    @Test
    void zeroGivesOneExactlyAndTheFarTailStaysTinyAndPositive() {
        float[] x = new float[S.length()];
        x[1] = -88f;
        x[2] = -1e30f;
        x[3] = Float.NEGATIVE_INFINITY;
        float[] e = new float[S.length()];
        VectorExp.exp(FloatVector.fromArray(S, x, 0)).intoArray(e, 0);
        assertEquals(1f, e[0]);
        for (int i = 1; i < 4; i++) {
            assertTrue(e[i] >= 0 && e[i] < 1.3e-38f, "exp(" + x[i] + ") = " + e[i]);
        }
    }

    @Test
    void nanStaysNaN() {
        float[] x = new float[S.length()];
        x[0] = Float.NaN;
        float[] e = new float[S.length()];
        VectorExp.exp(FloatVector.fromArray(S, x, 0)).intoArray(e, 0);
        assertTrue(Float.isNaN(e[0]), "exp(NaN) = " + e[0]);
    }
}
