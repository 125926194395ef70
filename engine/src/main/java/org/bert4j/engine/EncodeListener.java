package org.bert4j.engine;

/**
 * Told after each batch of an encoding, on the calling thread: for a progress bar or a log line (sentence-transformers'
 * {@code show_progress_bar}). An exception thrown here stops the encoding and reaches the caller, so it can also cancel.
 */
@FunctionalInterface
public interface EncodeListener {

    /** {@code done} of {@code total} texts are encoded (done grows by the batch size, and ends at total). */
    void encoded(int done, int total);

    /** A listener that does nothing. */
    EncodeListener NONE = (done, total) -> { };
}
