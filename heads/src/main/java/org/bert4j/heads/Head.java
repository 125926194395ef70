package org.bert4j.heads;

import org.bert4j.training.Parameter;
import org.bert4j.heads.train.Trainable;

import java.util.List;

/** A named task head on the shared backbone: a linear layer from the hidden size to its labels. */
public sealed interface Head extends Trainable permits ClassificationHead, TokenClassificationHead {

    /** The head's (task's) name, unique within a model. */
    String name();

    /** What it predicts. */
    HeadKind kind();

    /** Its labels, index-aligned with its logits. */
    LabelVocabulary labels();

    /** Its linear layer [labels × hidden]. */
    Linear linear();

    /** The width it expects from the backbone. */
    default int inputWidth() {
        return linear().in();
    }

    @Override
    default List<Parameter> parameters() {
        return linear().parameters();
    }

    /** Logits for {@code rows} input vectors ({@code rows × inputWidth}), {@code rows × labels}. */
    default double[] logits(float[] inputs, int rows) {
        double[] logits = new double[rows * labels().size()];
        linear().forward(inputs, rows, logits);
        return logits;
    }
}
