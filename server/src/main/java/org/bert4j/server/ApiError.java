package org.bert4j.server;

/**
 * A request the server answers with an error: the HTTP status and Hugging Face TEI's error body
 * {@code {"error": message, "error_type": type}} (the OpenAI route words the same error as
 * {@code {"message", "code", "type"}}, as TEI does).
 *
 * <p>The types and their statuses are TEI's ({@code router/src/http/server.rs}): {@code validation} 413 (too many
 * inputs, an input too long to take without truncating, an empty input, an unknown prompt), {@code empty} 400 (an
 * empty list), {@code overloaded} 429, {@code backend} 424 (the model cannot do this, or failed), {@code tokenizer}
 * 422. TEI leaves malformed JSON to its framework (a plain-text 422); here it is a 422 of type {@code validation}
 * naming the field, so clients get one shape for every error.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String type;

    /** An error with an explicit status and type. */
    public ApiError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    /** 413 {@code validation}: a limit or a rule the input breaks (TEI's {@code TextEmbeddingsError::Validation}). */
    public static ApiError validation(String message) {
        return new ApiError(413, "validation", message);
    }

    /** 422 {@code validation}: the body is not JSON, or a field is missing or of the wrong type or value. */
    public static ApiError badRequest(String message) {
        return new ApiError(422, "validation", message);
    }

    /** 400 {@code empty}: an empty list of inputs. */
    public static ApiError empty(String message) {
        return new ApiError(400, "empty", message);
    }

    /** 422 {@code tokenizer}: the tokenizer refused the input (an id outside the vocabulary, say). */
    public static ApiError tokenizer(String message) {
        return new ApiError(422, "tokenizer", message);
    }

    /** 424 {@code backend}: the served model cannot do this (TEI: "Model is not a classifier model"), or failed. */
    public static ApiError backend(String message) {
        return new ApiError(424, "backend", message);
    }

    /** 429 {@code overloaded}: too many requests at once; the client should retry later. */
    public static ApiError overloaded(String message) {
        return new ApiError(429, "overloaded", message);
    }

    /** 503 {@code timeout}: the request waited longer than the server's request timeout (TEI has no such limit). */
    public static ApiError timeout(String message) {
        return new ApiError(503, "timeout", message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** TEI's {@code error_type}. */
    public String type() {
        return type;
    }
}
