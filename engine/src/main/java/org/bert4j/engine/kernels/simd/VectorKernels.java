package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.Activation;
import org.bert4j.engine.kernels.AttentionKernel;
import org.bert4j.engine.kernels.Checks;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.MatMul;

/**
 * The kernels on the Vector API, at the width of this copy of the package ({@link Width}). Obtain them from
 * {@link Kernels#vector(int)}, which loads one copy per width; constructed any other way they run at the machine's
 * preferred width.
 */
public final class VectorKernels implements Kernels {

    /** For {@link java.util.ServiceLoader}, which {@link Kernels#vector(int)} asks for this class. */
    public VectorKernels() {
    }

    @Override
    public String name() {
        return "vector-" + vectorBits();
    }

    @Override
    public int vectorBits() {
        return Width.SPECIES.vectorBitSize();
    }

    @Override
    public void activate(Activation activation, float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        Activations.apply(activation, x, from, to);
    }

    @Override
    public void layerNorm(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps, float[] out) {
        Checks.layerNorm(x, null, fromRow, toRow, gamma, beta, eps, out);
        LayerNorm.normalizeRows(x, fromRow, toRow, gamma, beta, eps, out);
    }

    @Override
    public void addAndLayerNorm(float[] residual, float[] x, int fromRow, int toRow, float[] gamma, float[] beta,
                                float eps, float[] out) {
        Checks.layerNorm(x, residual, fromRow, toRow, gamma, beta, eps, out);
        LayerNorm.addAndNormalizeRows(residual, x, fromRow, toRow, gamma, beta, eps, out);
    }

    @Override
    public void softmax(float[] x, int offset, int length, float scale) {
        Checks.softmax(x, offset, length, scale);
        Softmax.softmax(x, offset, offset + length, scale);
    }

    @Override
    public void activationBackward(Activation activation, float[] x, float[] grad, int from, int to) {
        Checks.range(x, "x", from, to);
        Checks.range(grad, "grad", from, to);
        Activations.backward(activation, x, grad, from, to);
    }

    @Override
    public void layerNormTraining(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps,
                                  float[] out, float[] xHat, float[] rstd) {
        Checks.layerNorm(x, null, fromRow, toRow, gamma, beta, eps, out);
        Checks.holds(xHat, "xHat", 0, (long) toRow * gamma.length);
        Checks.holds(rstd, "rstd", 0, toRow);
        LayerNorm.normalizeRowsTraining(x, fromRow, toRow, gamma, beta, eps, out, xHat, rstd);
    }

    @Override
    public void layerNormBackward(float[] xHat, float[] rstd, float[] dy, int fromRow, int toRow, float[] gamma,
                                  float[] dx, float[] dGamma, float[] dBeta) {
        Checks.layerNormBackward(xHat, rstd, dy, fromRow, toRow, gamma, dx, dGamma, dBeta);
        LayerNorm.backwardRows(xHat, rstd, dy, fromRow, toRow, gamma, dx, dGamma, dBeta);
    }

    @Override
    public void softmaxBackward(float[] p, float[] dp, int offset, int length) {
        Checks.range(p, "p", offset, offset + length);
        Checks.range(dp, "dp", offset, offset + length);
        Softmax.backward(p, dp, offset, offset + length);
    }

    @Override
    public double sumOfSquares(float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        return SumOfSquares.of(x, from, to);
    }

    @Override
    public void dropout(long key, int threshold, float keep, float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        VectorDropout.apply(key, threshold, keep, x, from, to);
    }

    @Override
    public AttentionKernel attention() {
        return new Attention();
    }

    @Override
    public Gemm gemm(ComputePool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        return new VectorGemm(pool);
    }

    @Override
    public MatMul matMul() {
        return new VectorMatMul();
    }

    @Override
    public String toString() {
        return name();
    }
}
