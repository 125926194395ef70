package org.bert4j.spark;

/**
 * A model or heads folder could not be found or loaded on an executor. Its message names the folder, the host and
 * the cause; Spark reports it as the reason the job failed.
 */
public final class ModelLoadException extends RuntimeException {

    ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
