package org.bert4j.heads.train;

import java.util.Locale;

/**
 * Per-class weights in the cross-entropy: none, or scikit-learn's {@code "balanced"} weights n / (k · nᶜ) computed
 * from the training targets, so a rare class's errors cost as much in total as a frequent one's.
 */
public enum ClassWeighting {
    NONE, BALANCED;

    /** Parses {@code none} or {@code balanced}. */
    public static ClassWeighting parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "balanced" -> BALANCED;
            default -> throw new IllegalArgumentException("unknown class weighting '" + name + "' (none, balanced)");
        };
    }
}
