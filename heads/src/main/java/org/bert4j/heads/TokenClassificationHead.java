package org.bert4j.heads;

import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.TagScheme;

import java.util.Random;

/**
 * The seed's {@code ner_head}: every token's last hidden state through one linear layer to a logit per tag.
 * Its labels are tags in {@code scheme} ({@code O}, {@code B-PER}, {@code I-PER}, ...); {@code aggregation} is
 * how its predictions become entity spans unless a caller asks for another strategy.
 */
public record TokenClassificationHead(String name, LabelVocabulary labels, TagScheme scheme,
                                      AggregationStrategy aggregation, Linear linear) implements Head {

    public TokenClassificationHead {
        if (linear.out() != labels.size()) {
            throw new IllegalArgumentException("head '" + name + "': " + labels.size() + " labels but the layer has "
                    + linear.out() + " outputs");
        }
        if (!labels.contains("O")) {
            throw new IllegalArgumentException("head '" + name + "': a tag set needs 'O' (labels: " + labels + ")");
        }
    }

    /** A new head with weights drawn as Hugging Face initialises a classifier (N(0, 0.02²), zero bias). */
    public static TokenClassificationHead create(String name, LabelVocabulary labels, TagScheme scheme,
                                                 AggregationStrategy aggregation, int hidden, long seed) {
        Linear linear = new Linear(name, hidden, labels.size());
        linear.initialize(new Random(seed), 0.02);
        return new TokenClassificationHead(name, labels, scheme, aggregation, linear);
    }

    @Override
    public HeadKind kind() {
        return HeadKind.TOKEN_CLASSIFICATION;
    }
}
