package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.Erf;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Erf}'s function on float vectors: the same pieces and coefficients, blended lane by lane. */
final class VectorErf {
    private VectorErf() {}

    static FloatVector erf(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector ax = x.abs();
        FloatVector z = ax.mul(ax);

        // Not one chain of Horner's rule, where each of 14 FMAs waits ~4 cycles for the one before: P by Estrin's
        // scheme (pairs of terms combined by powers of z), T as three chains of five coefficients, combined by
        // powers u⁵ — shallow enough to keep the FMA units busy, and within 1.3e-7 (a full Estrin tree on T
        // rounds to 2e-7). Written out: a loop over a coefficient array can leave the JIT boxing vectors.
        FloatVector z2 = z.mul(z);
        FloatVector p = z.fma(Erf.P5, Erf.P4).fma(z2, z.fma(Erf.P3, Erf.P2)).fma(z2, z.fma(Erf.P1, Erf.P0));
        FloatVector small = ax.mul(p);

        FloatVector u = ax.sub(Erf.MID);
        FloatVector u2 = u.mul(u);
        FloatVector u5 = u2.mul(u2).mul(u);
        FloatVector low = u.fma(Erf.T4, Erf.T3).fma(u, bc(s, Erf.T2)).fma(u, bc(s, Erf.T1)).fma(u, bc(s, Erf.T0));
        FloatVector middle = u.fma(Erf.T9, Erf.T8).fma(u, bc(s, Erf.T7)).fma(u, bc(s, Erf.T6)).fma(u, bc(s, Erf.T5));
        FloatVector high = u.fma(Erf.T14, Erf.T13).fma(u, bc(s, Erf.T12)).fma(u, bc(s, Erf.T11)).fma(u, bc(s, Erf.T10));
        FloatVector large = high.fma(u5, middle).fma(u5, low);
        large = large.blend(bc(s, 1f), ax.compare(VectorOperators.GE, Erf.TOP));

        FloatVector y = small.blend(large, ax.compare(VectorOperators.GE, Erf.SPLIT));
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        return y.blend(y.neg(), negative);
    }


    private static FloatVector bc(VectorSpecies<Float> s, float value) {
        return FloatVector.broadcast(s, value);
    }
}
