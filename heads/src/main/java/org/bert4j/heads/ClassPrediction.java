package org.bert4j.heads;

import java.util.Map;

/** A classification head's answer: the top label, its probability, and every label's probability (label order). */
public record ClassPrediction(String label, double score, Map<String, Double> probabilities) implements Prediction {
    public ClassPrediction {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }
}
