package org.bert4j.heads.train;

/**
 * Where a run is after one optimiser step: the epoch and step within it (1-based), the overall step, the task the
 * batch came from, that batch's loss, the running mean loss of the epoch so far, the learning rate used, and the
 * tokens the step ran through the backbone (0 when the backbone is frozen and its features replayed).
 */
public record BatchProgress(int epoch, int epochs, int step, int stepsInEpoch, int globalStep, int totalSteps,
                            String task, double loss, double runningLoss, double learningRate, int tokens) {
}
