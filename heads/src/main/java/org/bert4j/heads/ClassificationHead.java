package org.bert4j.heads;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.folder.Pooling;

import java.util.Random;

/**
 * The seed's {@code sentence_classifier_head}: the text's token vectors pooled into one sentence vector (mean
 * pooling by default, as the seed's {@code _mean_pooling}), then a linear layer to one logit per class.
 *
 * <p>A Hugging Face {@code BertForSequenceClassification} is the same head on BERT's pooler output: {@code pooler}
 * is then true and the sentence vector is tanh(dense(h[CLS])) ({@code modeling_bert.py} {@code BertPooler}), which
 * the backbone computes when its checkpoint has {@code pooler.dense}.
 *
 * @param pooling  how token vectors become the sentence vector; CLS when {@code pooler} is true
 * @param pooler   whether the [CLS] vector goes through BERT's pooler first, as {@code BertForSequenceClassification}
 *                 reads it
 * @param function how logits become the scores predictions report (softmax for heads bert4j trains)
 */
public record ClassificationHead(String name, LabelVocabulary labels, Pooling pooling, boolean pooler,
                                 ClassificationFunction function, Linear linear) implements Head {

    public ClassificationHead {
        if (linear.out() != labels.size()) {
            throw new IllegalArgumentException("head '" + name + "': " + labels.size() + " labels but the layer has "
                    + linear.out() + " outputs");
        }
        if (pooler && pooling != Pooling.CLS) {
            throw new IllegalArgumentException("head '" + name + "': BERT's pooler reads the [CLS] vector, so pooling must"
                    + " be cls, not " + pooling.label());
        }
        if (function == null) {
            throw new IllegalArgumentException("head '" + name + "': function must not be null");
        }
    }

    /** A head on pooled token vectors with softmax scores: what {@code bert4j train} makes. */
    public ClassificationHead(String name, LabelVocabulary labels, Pooling pooling, Linear linear) {
        this(name, labels, pooling, false, ClassificationFunction.SOFTMAX, linear);
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

    /** The sentence vector of sequence {@code sequence} of a forward pass: this head's input. */
    public float[] pool(BertModelOutput output, int sequence) {
        return pooler ? output.poolerVector(sequence) : output.pool(pooling, sequence);
    }

    /** The scores of one input row of logits, by this head's {@link #function()}. */
    public double[] scores(double[] logits) {
        return function.apply(logits);
    }
}
