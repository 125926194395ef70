package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * x·φ(x) = x·exp(−x²/2)/√(2π), the second term of exact GELU's derivative, for a chunk of values: its own class and
 * loop, so that C2 compiles the exponential apart from the erf of the first term (see Activations.geluBackward).
 */
final class GeluDensity {
    private GeluDensity() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    /** out[i − from] = x[i]·φ(x[i]) for i in [from, to); out has room for a whole vector past to − from. */
    static void of(float[] x, int from, int to, float[] out) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            density(FloatVector.fromArray(S, x, i)).intoArray(out, i - from);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            density(FloatVector.fromArray(S, x, i, m)).intoArray(out, i - from, m);
        }
    }

    private static FloatVector density(FloatVector v) {
        // exp's argument is ≤ 0; below its floor the density is a denormal at most, which x·φ(x) turns into 0.
        return v.mul(VectorExp.exp(v.mul(v).mul(-0.5f)).mul(INV_SQRT_2PI));
    }
}
