package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Σ x² in double over a range of floats: each vector of floats widened to two vectors of doubles, squared and added
 * into two running sums; the lanes are then added from memory in a fixed order ({@code reduceLanes} leaves its order
 * to the implementation, which differs between the JIT's tiers).
 */
final class SumOfSquares {
    private SumOfSquares() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());

    static double of(float[] x, int from, int to) {
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = low;
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            DoubleVector a = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector b = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            low = a.fma(a, low);
            high = b.fma(b, high);
        }
        double[] lanes = new double[D.length()];
        low.add(high).intoArray(lanes, 0);
        double sum = 0;
        for (double lane : lanes) {
            sum += lane;
        }
        for (; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return sum;
    }
}
