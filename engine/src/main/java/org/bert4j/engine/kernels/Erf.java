package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The error function erf(x) on float vectors, within about 1e-7 of the exact value (about two units in the last
 * place), which exact-erf GELU needs: Hugging Face's {@code gelu} is 0.5·x·(1 + erf(x/√2)).
 *
 * <p>Two pieces, both computed and blended lane by lane (no branches in vector code):
 * <ul>
 *   <li>|x| &lt; 0.9: erf(x) = x · P(x²), P of degree 5 — the odd Taylor-like series, accurate in relative terms
 *       near zero;</li>
 *   <li>0.9 ≤ |x| &lt; 3.95: erf(x) = 1 − exp(−x²) · R(|x| − 2.425), R of degree 10 approximating the scaled
 *       complement erfcx(x) = exp(x²)·erfc(x), which is smooth and slowly varying there;</li>
 *   <li>|x| ≥ 3.95: erf(x) = ±1 (1 − erf(3.95) ≈ 1.6e-8 is below half a float ulp of 1).</li>
 * </ul>
 * The coefficients are least-squares fits on 6000 Chebyshev nodes of each interval (near-minimax) against
 * scipy's double-precision erf and erfcx, rounded to float; the test {@code ActivationsTest} measures the resulting
 * maximum error against a double-precision series over a dense sweep.
 */
final class Erf {
    private Erf() {}

    private static final float SPLIT = 0.9f;
    private static final float TOP = 3.95f;
    private static final float MID = 2.425f;

    // erf(x)/x = P(x²) on [0, 0.9]: P's coefficients, constant term first.
    private static final float P0 = 1.1283791065e+00f;
    private static final float P1 = -3.7612530589e-01f;
    private static final float P2 = 1.1282212287e-01f;
    private static final float P3 = -2.6781339198e-02f;
    private static final float P4 = 5.0153573975e-03f;
    private static final float P5 = -6.1069894582e-04f;
    // exp(x²)·erfc(x) = R(x − 2.425) on [0.9, 3.95].
    private static final float R0 = 2.1652613580e-01f;
    private static final float R1 = -7.8227736056e-02f;
    private static final float R2 = 2.6825128123e-02f;
    private static final float R3 = -8.7815411389e-03f;
    private static final float R4 = 2.7592810802e-03f;
    private static final float R5 = -8.4353605052e-04f;
    private static final float R6 = 2.4739280343e-04f;
    private static final float R7 = -6.2153580075e-05f;
    private static final float R8 = 1.6878226234e-05f;
    private static final float R9 = -7.9708861449e-06f;
    private static final float R10 = 2.1182038381e-06f;

    static FloatVector erf(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector ax = x.abs();
        FloatVector z = ax.mul(ax);

        // Horner's rule written out: a loop over a coefficient array can leave the JIT boxing vectors.
        FloatVector p = z.fma(P5, P4).fma(z, bc(s, P3)).fma(z, bc(s, P2)).fma(z, bc(s, P1)).fma(z, bc(s, P0));
        FloatVector small = ax.mul(p);

        FloatVector u = ax.sub(MID);
        FloatVector r = u.fma(R10, R9).fma(u, bc(s, R8)).fma(u, bc(s, R7)).fma(u, bc(s, R6)).fma(u, bc(s, R5))
                .fma(u, bc(s, R4)).fma(u, bc(s, R3)).fma(u, bc(s, R2)).fma(u, bc(s, R1)).fma(u, bc(s, R0));
        FloatVector e = z.neg().lanewise(VectorOperators.EXP);
        FloatVector large = e.neg().fma(r, bc(s, 1f));
        large = large.blend(bc(s, 1f), ax.compare(VectorOperators.GE, TOP));

        FloatVector y = small.blend(large, ax.compare(VectorOperators.GE, SPLIT));
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        return y.blend(y.neg(), negative);
    }

    /** The same function on one float, for the scalar kernels: the same pieces, coefficients and rounding steps. */
    static float erf(float x) {
        float ax = Math.abs(x);
        float z = ax * ax;
        float y;
        if (ax < SPLIT) {
            float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(z, P5, P4), z, P3), z, P2), z, P1), z, P0);
            y = ax * p;
        } else if (ax < TOP) {
            float u = ax - MID;
            float r = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                    u, R10, R9), u, R8), u, R7), u, R6), u, R5), u, R4), u, R3), u, R2), u, R1), u, R0);
            float e = (float) Math.exp(-z);
            y = Math.fma(-e, r, 1f);
        } else {
            y = Float.isNaN(ax) ? ax : 1f;
        }
        return x < 0 ? -y : y;
    }

    private static FloatVector bc(VectorSpecies<Float> s, float value) {
        return FloatVector.broadcast(s, value);
    }
}
