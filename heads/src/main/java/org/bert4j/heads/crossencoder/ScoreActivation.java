package org.bert4j.heads.crossencoder;

import java.util.Optional;

/**
 * What a cross-encoder applies to its logit before reporting a score: sentence-transformers' {@code activation_fn},
 * a torch module named by class in the model folder (see {@link org.bert4j.folder.CrossEncoderConfig}).
 */
public enum ScoreActivation {
    /** {@code torch.nn.Identity}: the raw logit (ms-marco cross-encoders declare it; scores are then unbounded). */
    IDENTITY,
    /** {@code torch.nn.Sigmoid}: a score in (0, 1); sentence-transformers' default for one-label models. */
    SIGMOID,
    /** {@code torch.nn.Tanh}: a score in (-1, 1). */
    TANH;

    /** The activation applied to one logit. */
    public double apply(double logit) {
        return switch (this) {
            case IDENTITY -> logit;
            case SIGMOID -> 1 / (1 + Math.exp(-logit));
            case TANH -> Math.tanh(logit);
        };
    }

    /**
     * The activation a torch class name means ({@code torch.nn.modules.linear.Identity}, {@code torch.nn.Sigmoid},
     * ...); empty for a class outside {@code torch.} (sentence-transformers loads those only with
     * {@code trust_remote_code} and otherwise falls back to its default). A torch class other than these three is
     * an error naming it.
     */
    public static Optional<ScoreActivation> fromTorchName(String className) {
        if (!className.startsWith("torch.")) {
            return Optional.empty();
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return Optional.of(switch (simple) {
            case "Identity" -> IDENTITY;
            case "Sigmoid" -> SIGMOID;
            case "Tanh" -> TANH;
            default -> throw new IllegalArgumentException("activation " + className
                    + " is not supported (Identity, Sigmoid and Tanh are)");
        });
    }

    /** Parses {@code identity}, {@code sigmoid} or {@code tanh}, case-insensitively. */
    public static ScoreActivation parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "' (identity, sigmoid, tanh)");
        }
    }
}
