package org.bert4j.heads;

import org.bert4j.folder.TaskConfig;
import org.bert4j.heads.train.CrossEntropy;

import java.util.Locale;

/**
 * How a classification head's logits become the scores it reports, named as Hugging Face's text-classification
 * pipeline names its {@code function_to_apply}: SOFTMAX (one label per text: the scores sum to 1), SIGMOID (each
 * label on its own, multi-label: every score in (0, 1)), NONE (the raw logits).
 */
public enum ClassificationFunction {
    SOFTMAX, SIGMOID, NONE;

    /**
     * The pipeline's default for a checkpoint ({@code TextClassificationPipeline.postprocess}): NONE for
     * {@code problem_type} regression; SIGMOID for multi_label_classification or a single label; SOFTMAX otherwise.
     */
    public static ClassificationFunction defaultFor(TaskConfig config) {
        String problem = config.problemType();
        if ("regression".equals(problem)) {
            return NONE;
        }
        if ("multi_label_classification".equals(problem) || config.numLabels() == 1) {
            return SIGMOID;
        }
        return SOFTMAX;
    }

    /** The scores of one row of logits, as a new array. */
    public double[] apply(double[] logits) {
        return switch (this) {
            case SOFTMAX -> CrossEntropy.softmaxRows(logits, 1, logits.length)[0];
            case SIGMOID -> {
                double[] scores = new double[logits.length];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = 1 / (1 + Math.exp(-logits[i]));
                }
                yield scores;
            }
            case NONE -> logits.clone();
        };
    }

    /** Whether the scores are probabilities (SOFTMAX, SIGMOID), rather than raw logits. */
    public boolean givesProbabilities() {
        return this != NONE;
    }

    /** The name as Hugging Face writes it: {@code softmax}, {@code sigmoid}, {@code none}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code softmax}, {@code sigmoid} or {@code none}, case-insensitively. */
    public static ClassificationFunction parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown function_to_apply '" + name + "' (softmax, sigmoid, none)");
        }
    }
}
