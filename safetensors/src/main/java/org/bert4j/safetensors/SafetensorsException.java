package org.bert4j.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that breaks one of the format's rules (or a request the file cannot satisfy);
 * the message names the file, the tensor when one is involved, and the rule.
 */
public final class SafetensorsException extends IOException {

    /** Which rule was broken: one constant per check, so callers and tests can tell them apart. */
    public enum Problem {
        FILE_TOO_SMALL, HEADER_LENGTH_TOO_LARGE, HEADER_LENGTH_BEYOND_FILE, HEADER_NOT_UTF8, HEADER_NOT_JSON,
        HEADER_NOT_OBJECT, BAD_METADATA, BAD_TENSOR_ENTRY, DUPLICATE_TENSOR, UNKNOWN_DTYPE, BAD_SHAPE,
        SHAPE_OVERFLOW, BAD_OFFSETS, OFFSETS_OUT_OF_RANGE, SIZE_MISMATCH, OVERLAPPING_TENSORS, HOLE_BETWEEN_TENSORS,
        TRAILING_BYTES, NO_SUCH_TENSOR, WRONG_DTYPE, TOO_LARGE_FOR_ARRAY, CLOSED, IO
    }

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;
    private final Problem problem;

    SafetensorsException(Problem problem, Path file, String tensor, String detail) {
        this(problem, file, tensor, detail, null);
    }

    SafetensorsException(Problem problem, Path file, String tensor, String detail, Throwable cause) {
        super(file + (tensor == null ? "" : ": tensor '" + shorten(tensor) + "'") + ": " + detail, cause);
        this.file = file;
        this.tensor = tensor;
        this.problem = problem;
    }

    /** A hostile file may use a megabyte-long name; the message keeps it readable. */
    private static String shorten(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "...";
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }

    /** The tensor the problem is about, or null for a problem of the file as a whole. */
    public String tensor() {
        return tensor;
    }

    /** The rule that was broken. */
    public Problem problem() {
        return problem;
    }
}
