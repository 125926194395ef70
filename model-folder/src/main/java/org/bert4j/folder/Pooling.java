package org.bert4j.folder;

import java.util.Locale;

/**
 * How one sentence vector is made from its token vectors: sentence-transformers' {@code Pooling} module, as its
 * {@code 1_Pooling/config.json} names the modes.
 */
public enum Pooling {
    /** The [CLS] token's vector, the first of the sequence ({@code pooling_mode_cls_token}; BGE models). */
    CLS,
    /** The average of the real tokens' vectors, sum(h·mask) / sum(mask) ({@code pooling_mode_mean_tokens}). */
    MEAN,
    /** The element-wise maximum over the real tokens ({@code pooling_mode_max_tokens}). */
    MAX;

    /** Parses "cls", "mean" or "max" (any case, surrounding blanks ignored); anything else is an error naming it. */
    public static Pooling fromName(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "cls" -> { return CLS; }
                case "mean" -> { return MEAN; }
                case "max" -> { return MAX; }
                default -> { }
            }
        }
        throw new IllegalArgumentException("unknown pooling \"" + name + "\"; expected cls, mean or max");
    }

    /** The lower-case name used on the command line and in file names ("cls", "mean", "max"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
