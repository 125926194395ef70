package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bert4j.engine.kernels.DropoutBits;

/**
 * Dropout with {@link DropoutBits}'s hash computed for a vector of consecutive indices at once: the same integer
 * operations lane by lane, so the same mask as the scalar kernel's.
 */
final class VectorDropout {
    private VectorDropout() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();

    static void apply(long key, int threshold, float keep, float[] x, int from, int to) {
        int low = (int) key;
        int high = (int) (key >>> 32);
        IntVector lanes = IntVector.zero(I).addIndex(1);
        FloatVector kept = FloatVector.broadcast(S, keep);
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (; i <= to - L; i += L) {
            VectorMask<Float> dropped = bits(lanes.add(i), low, high).lt(threshold).cast(S);
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(kept.blend(zero, dropped)).intoArray(x, i);
        }
        DropoutBits.apply(key, threshold, keep, x, i, to);
    }

    private static IntVector bits(IntVector index, int low, int high) {
        IntVector x = mix(index.mul(DropoutBits.GOLDEN).add(low));
        return mix(x.lanewise(VectorOperators.XOR, high)).lanewise(VectorOperators.LSHR, 1);
    }

    private static IntVector mix(IntVector x) {
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
        x = x.mul(DropoutBits.M1);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15));
        x = x.mul(DropoutBits.M2);
        return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
    }
}
