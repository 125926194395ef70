package org.bert4j.heads.train;

import org.bert4j.heads.data.Example;
import org.bert4j.heads.data.Splits;

import java.util.List;

/** One task of a training run: the head it trains and its training and dev examples (dev may be empty). */
public record Task(String head, List<Example> train, List<Example> dev) {
    public Task {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("task '" + head + "' has no training examples");
        }
        train = List.copyOf(train);
        dev = List.copyOf(dev);
    }

    /** A task whose dev set is {@code devFraction} of {@code examples}, split with {@code seed}. */
    public static Task split(String head, List<Example> examples, double devFraction, long seed) {
        Splits.Split<Example> split = Splits.trainDev(examples, devFraction, seed);
        return new Task(head, split.train(), split.dev());
    }
}
