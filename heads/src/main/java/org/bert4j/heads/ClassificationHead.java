package org.bert4j.heads;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.folder.Pooling;

import java.util.Random;

/**
 * The seed's {@code sentence_classifier_head}: the text's token vectors pooled into one sentence vector (mean
 * pooling by default, as the seed's {@code _mean_pooling}), then a linear layer to one logit per class.
 */
public record ClassificationHead(String name, LabelVocabulary labels, Pooling pooling, Linear linear)
        implements Head {

    public ClassificationHead {
        if (linear.out() != labels.size()) {
            throw new IllegalArgumentException("head '" + name + "': " + labels.size() + " labels but the layer has "
                    + linear.out() + " outputs");
        }
    }

    /** A new head with weights drawn as Hugging Face initialises a classifier (N(0, 0.02²), zero bias). */
    public static ClassificationHead create(String name, LabelVocabulary labels, Pooling pooling, int hidden,
                                            long seed) {
        Linear linear = new Linear(name, hidden, labels.size());
        linear.initialize(new Random(seed), 0.02);
        return new ClassificationHead(name, labels, pooling, linear);
    }

    @Override
    public HeadKind kind() {
        return HeadKind.CLASSIFICATION;
    }

    /** The pooled sentence vector of sequence {@code sequence} of a forward pass: this head's input. */
    public float[] pool(BertModelOutput output, int sequence) {
        return output.pool(pooling, sequence);
    }
}
