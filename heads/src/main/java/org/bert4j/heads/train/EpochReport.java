package org.bert4j.heads.train;

import java.util.List;
import java.util.Map;

/**
 * One epoch's outcome: the mean training loss of each trained task, each task's dev metrics, the score early
 * stopping compares (the mean of the tasks' scores), whether it is the best so far, and the epoch's wall time.
 */
public record EpochReport(int epoch, Map<String, Double> trainLoss, List<TaskMetrics> dev, double score,
                          boolean improved, double seconds) {
    public EpochReport {
        trainLoss = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(trainLoss));
        dev = List.copyOf(dev);
    }
}
