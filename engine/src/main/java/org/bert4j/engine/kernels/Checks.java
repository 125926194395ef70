package org.bert4j.engine.kernels;

/** Argument checks shared by the kernels of every width: each failure names the offending argument. */
public final class Checks {
    private Checks() {}

    public static float[] array(float[] array, String name) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return array;
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    public static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }

    /** Checks that {@code array} holds at least {@code offset + count} elements (computed in long: no overflow). */
    public static void holds(float[] array, String name, long offset, long count) {
        array(array, name);
        if (offset < 0 || offset + count > array.length) {
            throw new IllegalArgumentException(name + " holds " + array.length + " floats but "
                    + (offset + count) + " are needed (offset " + offset + ", count " + count + ")");
        }
    }

    /** Checks a range [from, to) of an array. */
    public static void range(float[] array, String name, int from, int to) {
        array(array, name);
        if (from < 0 || to < from || to > array.length) {
            throw new IllegalArgumentException(name + ": range [" + from + ", " + to + ") is outside [0, "
                    + array.length + ")");
        }
    }

    public static void length(float[] array, String name, int expected) {
        array(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " floats, got " + array.length);
        }
    }

    /** A matrix of {@code rows × cols} floats must fit in one Java array. */
    public static int elements(int rows, int cols, String what) {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(what + " of " + rows + " × " + cols + " is too large for one array");
        }
        return (int) n;
    }

    /** A LayerNorm call: rows within x (and residual, when not null) and out, gamma and beta as wide, eps usable. */
    public static void layerNorm(float[] x, float[] residual, int fromRow, int toRow, float[] gamma, float[] beta,
                                 float eps, float[] out) {
        array(gamma, "gamma");
        int width = positive(gamma.length, "width (gamma.length)");
        length(beta, "beta", width);
        nonNegative(fromRow, "fromRow");
        if (toRow < fromRow) {
            throw new IllegalArgumentException("toRow (" + toRow + ") must not be less than fromRow (" + fromRow + ")");
        }
        long end = (long) toRow * width;
        holds(x, "x", 0, end);
        if (residual != null) {
            holds(residual, "residual", 0, end);
        }
        holds(out, "out", 0, end);
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
    }

    /** A softmax call: a non-empty range of x and a positive, finite scale. */
    public static void softmax(float[] x, int offset, int length, float scale) {
        positive(length, "length");
        range(x, "x", offset, offset + length);
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
    }

    /** A layerNormBackward call: the rows within xHat, dy and dx, rstd long enough, the gradients as wide as gamma. */
    public static void layerNormBackward(float[] xHat, float[] rstd, float[] dy, int fromRow, int toRow, float[] gamma,
                                         float[] dx, float[] dGamma, float[] dBeta) {
        array(gamma, "gamma");
        int width = positive(gamma.length, "width (gamma.length)");
        nonNegative(fromRow, "fromRow");
        if (toRow < fromRow) {
            throw new IllegalArgumentException("toRow (" + toRow + ") must not be less than fromRow (" + fromRow + ")");
        }
        long end = (long) toRow * width;
        holds(xHat, "xHat", 0, end);
        holds(dy, "dy", 0, end);
        holds(dx, "dx", 0, end);
        holds(rstd, "rstd", 0, toRow);
        length(dGamma, "dGamma", width);
        length(dBeta, "dBeta", width);
    }
}
