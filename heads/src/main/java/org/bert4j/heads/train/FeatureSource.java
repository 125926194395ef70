package org.bert4j.heads.train;

import org.bert4j.training.Parameter;
import java.util.List;

/**
 * Where a head's training inputs come from. With the backbone frozen they are computed once and replayed
 * ({@link CachedFeatures}); a backbone whose top layers train would run its forward pass per batch here, take the
 * heads' input gradient in {@link #backward} and expose its tensors in {@link #parameters()}, and the trainer
 * would not change.
 */
public interface FeatureSource {

    /** The concatenated inputs and targets of the given examples. */
    Batch batch(int[] examples);

    /** Receives dLoss/dinputs for a batch; a frozen source ignores it. */
    default void backward(Batch batch, double[] inputGradient) {
    }

    /** The source's own trainable tensors (none when frozen). */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Whether {@link #backward} wants the input gradient (the trainer skips computing it otherwise). */
    default boolean needsInputGradient() {
        return !parameters().isEmpty();
    }

    /** A batch: {@code rows} input vectors of the head's width and one target per row. */
    record Batch(float[] inputs, int rows, int[] targets) {
    }
}
