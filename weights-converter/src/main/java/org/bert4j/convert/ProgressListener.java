package org.bert4j.convert;

/** Receives a conversion's progress, e.g. to draw the CLI's progress bar; called on the converting thread. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (step, done, total) -> {};

    /**
     * {@code done} of {@code total} units of {@code step} are finished ("reading", "tensors", "writing", ...);
     * units are step-specific (tensors, bytes) and {@code total} may be 0 when unknown.
     */
    void progress(String step, long done, long total);
}
