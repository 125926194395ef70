package org.bert4j.convert;

/** How sentence-transformers pools token vectors into one sentence vector ({@code 1_Pooling/config.json}). */
public enum PoolingMode {
    /** The [CLS] token's vector. */
    CLS,
    /** The mean of the non-padding tokens' vectors. */
    MEAN,
    /** The element-wise maximum over the non-padding tokens. */
    MAX;

    /** Parses "cls", "mean" or "max" (any case); anything else is an error naming the value. */
    public static PoolingMode parse(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "cls" -> CLS;
            case "mean" -> MEAN;
            case "max" -> MAX;
            default -> throw new IllegalArgumentException("unknown pooling '" + value + "' (expected cls, mean or max)");
        };
    }
}
