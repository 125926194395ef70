package org.bert4j.tokenizer;

import java.util.Objects;

/**
 * How to encode: special tokens, truncation, padding. Start from {@link #defaults()} and change what you
 * need with the {@code with...} methods, e.g. {@code EncodeOptions.defaults().withMaxLength(128)}.
 *
 * @param addSpecialTokens whether to add the model's special tokens ([CLS], [SEP]); default true
 * @param maxLength        the length to truncate to (and pad to, with {@link Padding#MAX_LENGTH}), special
 *                         tokens included; 0 (the default) means the tokenizer's {@code modelMaxLength()}
 * @param truncation       how to truncate; default {@link Truncation#LONGEST_FIRST}
 * @param padding          how to pad; default {@link Padding#NONE}
 * @param padToMultipleOf  when padding, round the padded length up to a multiple of this; 0 (default) = off
 */
public record EncodeOptions(boolean addSpecialTokens, int maxLength, Truncation truncation, Padding padding,
                            int padToMultipleOf) {

    private static final EncodeOptions DEFAULTS =
            new EncodeOptions(true, 0, Truncation.LONGEST_FIRST, Padding.NONE, 0);

    /** Checks the arguments. */
    public EncodeOptions {
        Objects.requireNonNull(truncation, "truncation");
        Objects.requireNonNull(padding, "padding");
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be >= 0 (0 = the model's maximum), got " + maxLength);
        }
        if (padToMultipleOf < 0) {
            throw new IllegalArgumentException("padToMultipleOf must be >= 0 (0 = off), got " + padToMultipleOf);
        }
    }

    /** Special tokens on, truncation to the model's maximum length (longest first), no padding. */
    public static EncodeOptions defaults() {
        return DEFAULTS;
    }

    /** A copy with {@code addSpecialTokens} changed. */
    public EncodeOptions withAddSpecialTokens(boolean value) {
        return new EncodeOptions(value, maxLength, truncation, padding, padToMultipleOf);
    }

    /** A copy with {@code maxLength} changed (0 = the model's maximum). */
    public EncodeOptions withMaxLength(int value) {
        return new EncodeOptions(addSpecialTokens, value, truncation, padding, padToMultipleOf);
    }

    /** A copy with {@code truncation} changed. */
    public EncodeOptions withTruncation(Truncation value) {
        return new EncodeOptions(addSpecialTokens, maxLength, value, padding, padToMultipleOf);
    }

    /** A copy with {@code padding} changed. */
    public EncodeOptions withPadding(Padding value) {
        return new EncodeOptions(addSpecialTokens, maxLength, truncation, value, padToMultipleOf);
    }

    /** A copy with {@code padToMultipleOf} changed (0 = off). */
    public EncodeOptions withPadToMultipleOf(int value) {
        return new EncodeOptions(addSpecialTokens, maxLength, truncation, padding, value);
    }
}
