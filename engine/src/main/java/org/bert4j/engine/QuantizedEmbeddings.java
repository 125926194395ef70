package org.bert4j.engine;

/**
 * Embeddings in a precision below float32, one byte array per text: what sentence-transformers'
 * {@code encode(precision=…)} returns as an int8 or uint8 NumPy array, byte for byte.
 *
 * <p>int8 and uint8 hold one byte per dimension; binary and ubinary hold {@code ceil(dimension / 8)} bytes, the
 * signs of dimensions 8k…8k+7 in byte k from its high bit down (NumPy's {@code packbits}). Java bytes are signed:
 * {@link #value} reads a byte as the NumPy dtype does (signed for int8 and binary, unsigned for uint8 and ubinary).
 *
 * @param precision how the bytes encode the vector (never FLOAT32)
 * @param dimension the length of the float vectors that were quantized
 * @param rows      one byte array per text, each {@link #width()} long (held, not copied)
 */
public record QuantizedEmbeddings(Precision precision, int dimension, byte[][] rows) {

    /** Checks that every row has the width its precision and dimension give. */
    public QuantizedEmbeddings {
        if (precision == null || precision == Precision.FLOAT32) {
            throw new IllegalArgumentException("precision must be int8, uint8, binary or ubinary, got " + precision);
        }
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        int width = width(precision, dimension);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != width) {
                throw new IllegalArgumentException("row " + r + " must hold " + width + " bytes");
            }
        }
    }

    /** Bytes per row: the dimension, or the dimension / 8 rounded up when bits are packed. */
    public static int width(Precision precision, int dimension) {
        return precision.packsBits() ? (dimension + 7) / 8 : dimension;
    }

    /** Bytes per row. */
    public int width() {
        return width(precision, dimension);
    }

    /** The number of texts. */
    public int size() {
        return rows.length;
    }

    /** Byte {@code column} of row {@code row} as NumPy reads it: -128…127 for int8 and binary, 0…255 otherwise. */
    public int value(int row, int column) {
        byte b = rows[row][column];
        return precision.isSigned() ? b : Byte.toUnsignedInt(b);
    }

    /** Every byte of one row read as {@link #value} reads it. */
    public int[] values(int row) {
        int[] out = new int[width()];
        for (int c = 0; c < out.length; c++) {
            out[c] = value(row, c);
        }
        return out;
    }
}
