package org.bert4j.engine;

import java.util.Locale;

/**
 * The output precisions of sentence-transformers' {@code encode(precision=…)} and {@code quantize_embeddings}: float32
 * as computed, one byte per dimension (int8, uint8), or one bit per dimension packed eight to a byte (binary, ubinary).
 */
public enum Precision {
    /** The float vectors themselves. */
    FLOAT32,
    /** One signed byte per dimension: the uint8 bucket minus 128. */
    INT8,
    /** One unsigned byte per dimension: the dimension's range cut into 255 equal steps (256 buckets). */
    UINT8,
    /** Signs packed eight dimensions to a byte (first dimension in the high bit), stored as the byte minus 128. */
    BINARY,
    /** Signs packed eight dimensions to a byte (first dimension in the high bit), unsigned. */
    UBINARY;

    /** Parses "float32", "int8", "uint8", "binary" or "ubinary" (any case); anything else is an error naming it. */
    public static Precision fromName(String name) {
        if (name != null) {
            for (Precision p : values()) {
                if (p.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown precision \"" + name + "\"; expected float32, int8, uint8, binary or ubinary");
    }

    /** The name sentence-transformers uses ("float32", "int8", …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether one byte holds eight dimensions (binary, ubinary) rather than one. */
    public boolean packsBits() {
        return this == BINARY || this == UBINARY;
    }

    /** Whether the bytes are read as signed values (int8, binary), as NumPy's int8 dtype holds them. */
    public boolean isSigned() {
        return this == INT8 || this == BINARY;
    }
}
