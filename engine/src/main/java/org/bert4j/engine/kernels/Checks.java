package org.bert4j.engine.kernels;

/** Argument checks shared by the kernels: every failure names the offending argument. */
final class Checks {
    private Checks() {}

    static float[] array(float[] array, String name) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return array;
    }

    static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }

    /** Checks that {@code array} holds at least {@code offset + count} elements (computed in long: no overflow). */
    static void holds(float[] array, String name, long offset, long count) {
        array(array, name);
        if (offset < 0 || offset + count > array.length) {
            throw new IllegalArgumentException(name + " holds " + array.length + " floats but "
                    + (offset + count) + " are needed (offset " + offset + ", count " + count + ")");
        }
    }

    /** Checks a range [from, to) of an array. */
    static void range(float[] array, String name, int from, int to) {
        array(array, name);
        if (from < 0 || to < from || to > array.length) {
            throw new IllegalArgumentException(name + ": range [" + from + ", " + to + ") is outside [0, "
                    + array.length + ")");
        }
    }

    static void length(float[] array, String name, int expected) {
        array(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " floats, got " + array.length);
        }
    }

    /** A matrix of {@code rows × cols} floats must fit in one Java array. */
    static int elements(int rows, int cols, String what) {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(what + " of " + rows + " × " + cols + " is too large for one array");
        }
        return (int) n;
    }
}
