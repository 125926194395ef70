package org.bert4j.heads.train;

import org.bert4j.heads.Head;

/** Lets the tests reach the trainer's package-private pieces. */
final class TrainerAccess {

    private TrainerAccess() {
    }

    static double[] classWeights(Head head, TaskFeatures features, TrainingOptions options) {
        return Trainer.classWeights(head, features.targets(), options);
    }
}
