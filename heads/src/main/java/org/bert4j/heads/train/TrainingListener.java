package org.bert4j.heads.train;

/** Hears a training run's progress, e.g. to draw a progress bar; every method has a do-nothing default. */
public interface TrainingListener {

    /** Backbone features computed for {@code done} of {@code total} texts (before the first epoch). */
    default void onFeatures(int done, int total) {
    }

    /** An epoch begins; it will take {@code steps} optimiser steps. */
    default void onEpochStart(int epoch, int epochs, int steps) {
    }

    /** One optimiser step done. */
    default void onBatch(BatchProgress progress) {
    }

    /** An epoch ended and was evaluated on the dev sets. */
    default void onEpochEnd(EpochReport report) {
    }

    /** A listener that ignores everything. */
    static TrainingListener silent() {
        return new TrainingListener() {
        };
    }
}
