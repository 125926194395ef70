package org.bert4j.heads;

import java.util.Map;

/**
 * A classification head's answer: the top label, its score, and every label's score (label order). The scores are
 * probabilities under softmax (they sum to 1) or sigmoid (each label on its own), the raw logits under
 * {@link ClassificationFunction#NONE}.
 */
public record ClassPrediction(String label, double score, Map<String, Double> probabilities) implements Prediction {
    public ClassPrediction {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }
}
