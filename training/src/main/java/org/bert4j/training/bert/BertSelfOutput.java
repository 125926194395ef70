package org.bert4j.training.bert;

import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Dropout;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * The attention block's output, trainable: LayerNorm(dropout(dense(context)) + input), "Add &amp; Norm"
 * ({@code modeling_bert.py} {@code BertSelfOutput}). {@link BertOutput} is the same shape after the feed-forward.
 */
final class BertSelfOutput {

    final Linear dense;
    final LayerNorm layerNorm;
    private final double dropout;

    /**
     * What the forward keeps: the dropout's seed (its mask is drawn again in the backward rather than kept: as many
     * floats as the output) and the LayerNorm's saved rows; the caller keeps the input.
     */
    record Saved(Long maskSeed, LayerNorm.Saved layerNorm) {}

    BertSelfOutput(Linear dense, LayerNorm layerNorm, double dropout) {
        this.dense = dense;
        this.layerNorm = layerNorm;
        this.dropout = dropout;
    }

    static BertSelfOutput load(Checkpoint checkpoint, String prefix, int in, BertConfig c) throws IOException {
        return new BertSelfOutput(Linear.load(checkpoint, prefix + ".dense", c.hiddenSize(), in),
                LayerNorm.load(checkpoint, prefix + ".LayerNorm", c.hiddenSize(), c.layerNormEps()),
                c.hiddenDropoutProb());
    }

    List<Parameter> parameters() {
        return List.of(dense.weight, dense.bias, layerNorm.gamma, layerNorm.beta);
    }

    /** out = LayerNorm(dropout(dense(input)) + residual). */
    Saved forward(Compute compute, float[] input, float[] residual, int rows, float[] out, Long seed, int site,
                  boolean save) {
        int width = dense.out;
        float[] z = new float[rows * width];
        dense.forward(compute, input, rows, z);
        Long maskSeed = seed == null ? null : Dropout.seed(seed, site, 0);
        if (maskSeed != null) {
            Dropout.apply(compute, maskSeed, dropout, z, rows * width);
        }
        compute.forRanges(rows * width, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                z[i] += residual[i];
            }
        });
        LayerNorm.Saved normalised = layerNorm.forward(compute, z, rows, out, save);
        return save ? new Saved(maskSeed, normalised) : null;
    }

    /**
     * From dOut: the gradient of the residual, written into dResidual (which may be dOut), and of the dense layer's
     * input (the forward's {@code input}, given again), written into dInput.
     */
    void backward(Compute compute, Saved saved, float[] input, float[] dOut, int rows, float[] dResidual,
                  float[] dInput) {
        int width = dense.out;
        layerNorm.backward(compute, saved.layerNorm(), dOut, rows, dResidual);
        float[] dz = dResidual.clone();
        if (saved.maskSeed() != null) {
            Dropout.apply(compute, saved.maskSeed(), dropout, dz, rows * width);
        }
        dense.backward(compute, input, dz, rows, dInput, false);
    }
}
