package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation over each row (Ba, Kiros and Hinton 2016), as BERT applies it after every residual
 * connection: y = (x − mean) / √(var + eps) · gamma + beta, with the biased variance (divided by width), as
 * PyTorch's {@code nn.LayerNorm} computes it.
 *
 * <p>The row is first shifted by its first element, d = x − x₀, and everything after works on d: the mean of d is
 * small when the row's values are close to one another, so its float sum loses little even when the row's own mean
 * is large (a row around 100 with spread 4: a float sum of x itself misses the mean by up to ~1e-5 relative to the
 * spread at 16 lanes, one of d by ~1e-7), and the centred values d − mean(d) never pass through the large mean at all.
 * The mean and the variance are two passes (not E[d²] − E[d]², which cancels); a row of hidden states fits in L1,
 * so the extra pass costs no trip to memory.
 */
final class LayerNorm {
    private LayerNorm() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;

    /** out[r] = LayerNorm(x[r]) for rows [fromRow, toRow) of width gamma.length. */
    static void normalizeRows(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps,
                              float[] out) {
        int width = gamma.length;
        for (int r = fromRow; r < toRow; r++) {
            normalizeRow(x, out, r * width, width, gamma, beta, eps);
        }
    }

    /** out[r] = LayerNorm(residual[r] + x[r]), the sum written once and normalised while still in cache. */
    static void addAndNormalizeRows(float[] residual, float[] x, int fromRow, int toRow, float[] gamma, float[] beta,
                                    float eps, float[] out) {
        int width = gamma.length;
        for (int r = fromRow; r < toRow; r++) {
            int row = r * width;
            add(residual, x, out, row, width);
            normalizeRow(out, out, row, width, gamma, beta, eps);
        }
    }

    private static void add(float[] a, float[] b, float[] out, int off, int width) {
        int j = 0;
        for (int bound = S.loopBound(width); j < bound; j += S.length()) {
            FloatVector.fromArray(S, a, off + j).add(FloatVector.fromArray(S, b, off + j)).intoArray(out, off + j);
        }
        if (j < width) {
            VectorMask<Float> m = S.indexInRange(j, width);
            FloatVector.fromArray(S, a, off + j, m).add(FloatVector.fromArray(S, b, off + j, m))
                    .intoArray(out, off + j, m);
        }
    }

    private static void normalizeRow(float[] x, float[] out, int off, int width, float[] gamma, float[] beta,
                                     float eps) {
        int bound = S.loopBound(width);
        VectorMask<Float> tail = S.indexInRange(bound, width);
        FloatVector shift = FloatVector.broadcast(S, x[off]);

        // mean of d = x − x₀
        FloatVector sum = FloatVector.zero(S);
        int j = 0;
        for (; j < bound; j += S.length()) {
            sum = sum.add(FloatVector.fromArray(S, x, off + j).sub(shift));
        }
        if (j < width) {
            sum = sum.add(FloatVector.fromArray(S, x, off + j, tail).sub(shift), tail);
        }
        FloatVector mean = FloatVector.broadcast(S, Lanes.sum(sum) / width);

        // variance of d: Σ (d − mean(d))² / width
        FloatVector squares = FloatVector.zero(S);
        for (j = 0; j < bound; j += S.length()) {
            FloatVector c = FloatVector.fromArray(S, x, off + j).sub(shift).sub(mean);
            squares = c.fma(c, squares);
        }
        if (j < width) {
            FloatVector c = FloatVector.fromArray(S, x, off + j, tail).sub(shift).sub(mean);
            squares = squares.add(c.mul(c), tail);
        }
        float variance = Lanes.sum(squares) / width;
        FloatVector rstd = FloatVector.broadcast(S, (float) (1.0 / Math.sqrt(variance + eps)));

        // y = (d − mean(d)) · (gamma · rstd) + beta
        for (j = 0; j < bound; j += S.length()) {
            FloatVector g = FloatVector.fromArray(S, gamma, j).mul(rstd);
            FloatVector.fromArray(S, x, off + j).sub(shift).sub(mean).fma(g, FloatVector.fromArray(S, beta, j))
                    .intoArray(out, off + j);
        }
        if (j < width) {
            FloatVector g = FloatVector.fromArray(S, gamma, j, tail).mul(rstd);
            FloatVector.fromArray(S, x, off + j, tail).sub(shift).sub(mean)
                    .fma(g, FloatVector.fromArray(S, beta, j, tail)).intoArray(out, off + j, tail);
        }
    }

    /** {@link #normalizeRows} keeping x̂ = (x − mean)·rstd per element and rstd per row, for the backward. */
    static void normalizeRowsTraining(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps,
                                      float[] out, float[] xHat, float[] rstd) {
        int width = gamma.length;
        int bound = S.loopBound(width);
        VectorMask<Float> tail = S.indexInRange(bound, width);
        for (int r = fromRow; r < toRow; r++) {
            int off = r * width;
            FloatVector shift = FloatVector.broadcast(S, x[off]);
            FloatVector sum = FloatVector.zero(S);
            int j = 0;
            for (; j < bound; j += S.length()) {
                sum = sum.add(FloatVector.fromArray(S, x, off + j).sub(shift));
            }
            if (j < width) {
                sum = sum.add(FloatVector.fromArray(S, x, off + j, tail).sub(shift), tail);
            }
            FloatVector mean = FloatVector.broadcast(S, Lanes.sum(sum) / width);
            FloatVector squares = FloatVector.zero(S);
            for (j = 0; j < bound; j += S.length()) {
                FloatVector c = FloatVector.fromArray(S, x, off + j).sub(shift).sub(mean);
                squares = c.fma(c, squares);
            }
            if (j < width) {
                FloatVector c = FloatVector.fromArray(S, x, off + j, tail).sub(shift).sub(mean);
                squares = squares.add(c.mul(c), tail);
            }
            float r1 = (float) (1.0 / Math.sqrt(Lanes.sum(squares) / width + eps));
            rstd[r] = r1;
            FloatVector rv = FloatVector.broadcast(S, r1);
            // x̂ first (the backward needs it), then y = x̂·γ + β from it.
            for (j = 0; j < bound; j += S.length()) {
                FloatVector normalised = FloatVector.fromArray(S, x, off + j).sub(shift).sub(mean).mul(rv);
                normalised.intoArray(xHat, off + j);
                normalised.fma(FloatVector.fromArray(S, gamma, j), FloatVector.fromArray(S, beta, j))
                        .intoArray(out, off + j);
            }
            if (j < width) {
                FloatVector normalised = FloatVector.fromArray(S, x, off + j, tail).sub(shift).sub(mean).mul(rv);
                normalised.intoArray(xHat, off + j, tail);
                normalised.fma(FloatVector.fromArray(S, gamma, j, tail), FloatVector.fromArray(S, beta, j, tail))
                        .intoArray(out, off + j, tail);
            }
        }
    }

    /**
     * The backward over rows [fromRow, toRow): g = dy·γ, dx = rstd·(g − mean(g) − x̂·mean(g·x̂)); dγ += dy·x̂ and
     * dβ += dy. The two means are lane sums in fixed order ({@link Lanes}); dx may be dy (read before written).
     */
    static void backwardRows(float[] xHat, float[] rstd, float[] dy, int fromRow, int toRow, float[] gamma, float[] dx,
                             float[] dGamma, float[] dBeta) {
        int width = gamma.length;
        int bound = S.loopBound(width);
        VectorMask<Float> tail = S.indexInRange(bound, width);
        for (int r = fromRow; r < toRow; r++) {
            int off = r * width;
            FloatVector sumG = FloatVector.zero(S);
            FloatVector sumGx = FloatVector.zero(S);
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector d = FloatVector.fromArray(S, dy, off + j);
                FloatVector h = FloatVector.fromArray(S, xHat, off + j);
                FloatVector g = d.mul(FloatVector.fromArray(S, gamma, j));
                sumG = sumG.add(g);
                sumGx = g.fma(h, sumGx);
                d.fma(h, FloatVector.fromArray(S, dGamma, j)).intoArray(dGamma, j);
                d.add(FloatVector.fromArray(S, dBeta, j)).intoArray(dBeta, j);
            }
            if (j < width) {
                FloatVector d = FloatVector.fromArray(S, dy, off + j, tail);
                FloatVector h = FloatVector.fromArray(S, xHat, off + j, tail);
                FloatVector g = d.mul(FloatVector.fromArray(S, gamma, j, tail));
                sumG = sumG.add(g, tail);
                sumGx = sumGx.add(g.mul(h), tail);
                d.fma(h, FloatVector.fromArray(S, dGamma, j, tail)).intoArray(dGamma, j, tail);
                d.add(FloatVector.fromArray(S, dBeta, j, tail)).intoArray(dBeta, j, tail);
            }
            FloatVector meanG = FloatVector.broadcast(S, Lanes.sum(sumG) / width);
            FloatVector meanGx = FloatVector.broadcast(S, Lanes.sum(sumGx) / width);
            FloatVector rv = FloatVector.broadcast(S, rstd[r]);
            for (j = 0; j < bound; j += S.length()) {
                FloatVector g = FloatVector.fromArray(S, dy, off + j).mul(FloatVector.fromArray(S, gamma, j));
                FloatVector h = FloatVector.fromArray(S, xHat, off + j);
                g.sub(meanG).sub(h.mul(meanGx)).mul(rv).intoArray(dx, off + j);
            }
            if (j < width) {
                FloatVector g = FloatVector.fromArray(S, dy, off + j, tail).mul(FloatVector.fromArray(S, gamma, j, tail));
                FloatVector h = FloatVector.fromArray(S, xHat, off + j, tail);
                g.sub(meanG).sub(h.mul(meanGx)).mul(rv).intoArray(dx, off + j, tail);
            }
        }
    }
}
