package org.bert4j.training;

import java.util.Arrays;

/**
 * One trainable tensor: its values and the gradient accumulated into it, both float as in PyTorch (FP32 master
 * weights and gradients): the optimiser's passes over them are bound by memory, and doubles would double that.
 *
 * <p>{@code decay} says whether AdamW's weight decay applies: Hugging Face exempts biases and LayerNorm weights.
 * Anything trainable, the heads and the backbone's layers alike, exposes its tensors as Parameters so
 * the optimiser, the clipping and the checkpointing never need to know what they belong to.
 */
public final class Parameter {

    private final String name;
    private final int[] shape;
    private final float[] value;
    private final float[] grad;
    private final boolean decay;
    private boolean hasGrad;

    /** Wraps {@code value} (not copied: the owner reads it) under {@code name} with the given shape. */
    public Parameter(String name, int[] shape, float[] value, boolean decay) {
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count != value.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " values, got " + value.length);
        }
        this.name = name;
        this.shape = shape.clone();
        this.value = value;
        this.grad = new float[value.length];
        this.decay = decay;
    }

    /** The tensor's name, e.g. {@code category.weight}. */
    public String name() {
        return name;
    }

    /** The tensor's shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The live values: the optimiser updates them in place. */
    public float[] value() {
        return value;
    }

    /** The live gradient accumulator, to read or rescale (clipping); a backward pass adds through {@link #gradForBackward()}. */
    public float[] grad() {
        return grad;
    }

    /**
     * The gradient accumulator for a backward pass to add into. It marks the tensor as having a gradient this step,
     * as PyTorch's {@code .grad} stops being None once autograd reaches the tensor, even if what is added is zero.
     */
    public float[] gradForBackward() {
        hasGrad = true;
        return grad;
    }

    /** Whether a backward pass reached this tensor since the last {@link #zeroGrad()}: the optimiser skips it otherwise. */
    public boolean hasGrad() {
        return hasGrad;
    }

    /** Whether weight decay applies to this tensor. */
    public boolean decay() {
        return decay;
    }

    /** The number of values. */
    public int size() {
        return value.length;
    }

    /**
     * Clears the gradient before the next batch, as PyTorch's {@code zero_grad(set_to_none=True)}: a tensor no
     * backward pass reaches afterwards (another task's head) has no gradient, and the optimiser leaves it alone.
     */
    public void zeroGrad() {
        Arrays.fill(grad, 0);
        hasGrad = false;
    }

    /** What {@link #zeroGrad()} does once the gradient's values are zero: no backward pass has reached it yet. */
    void markUnreached() {
        hasGrad = false;
    }
}
