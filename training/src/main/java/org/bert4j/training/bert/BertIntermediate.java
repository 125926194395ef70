package org.bert4j.training.bert;

import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.kernels.Activation;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * The feed-forward's first half, trainable: act(dense(x)) ({@code modeling_bert.py} {@code BertIntermediate}). The
 * forward keeps the activation's input; the backward recomputes its output (the same kernel on the same input gives
 * the same bits), which halves what a layer keeps of its widest tensor.
 */
final class BertIntermediate {

    final Linear dense;
    private final Activation activation;

    /** What the forward keeps: its input and the activation's input. */
    record Saved(float[] input, float[] preActivation) {}

    private BertIntermediate(Linear dense, Activation activation) {
        this.dense = dense;
        this.activation = activation;
    }

    static BertIntermediate load(Checkpoint checkpoint, String prefix, BertConfig c) throws IOException {
        return new BertIntermediate(Linear.load(checkpoint, prefix + ".dense", c.intermediateSize(), c.hiddenSize()),
                Activation.fromConfig(c.hiddenAct()));
    }

    List<Parameter> parameters() {
        return List.of(dense.weight, dense.bias);
    }

    /** out [rows × intermediate] = act(dense(input)). */
    Saved forward(Compute compute, float[] input, int rows, float[] out, boolean save) {
        dense.forward(compute, input, rows, out);
        float[] pre = save ? out.clone() : null;
        activate(compute, out, rows);
        return save ? new Saved(input, pre) : null;
    }

    /** The output again, from the saved activation input: what the next layer's backward multiplies with. */
    float[] output(Compute compute, Saved saved, int rows) {
        float[] out = saved.preActivation().clone();
        activate(compute, out, rows);
        return out;
    }

    private void activate(Compute compute, float[] x, int rows) {
        compute.forRanges(rows * dense.out, 1, (from, to) -> compute.kernels().activate(activation, x, from, to));
    }

    /** dInput (overwritten, or null) from dOut (modified in place). */
    void backward(Compute compute, Saved saved, float[] dOut, int rows, float[] dInput, boolean addToDInput) {
        float[] pre = saved.preActivation();
        compute.forRanges(rows * dense.out, 1,
                (from, to) -> compute.kernels().activationBackward(activation, pre, dOut, from, to));
        dense.backward(compute, saved.input(), dOut, rows, dInput, addToDInput);
    }
}
