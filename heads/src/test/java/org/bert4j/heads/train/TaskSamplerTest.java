package org.bert4j.heads.train;

import org.bert4j.heads.data.Example;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskSamplerTest {

    private static List<Task> tasks(int big, int small) {
        return List.of(new Task("big", examples(big), List.of()), new Task("small", examples(small), List.of()));
    }

    private static List<Example> examples(int n) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            examples.add(Example.labelled("t" + i, "x"));
        }
        return examples;
    }

    private static int[] counts(TaskSampling sampling, double temperature, int epochs) {
        TaskSampler sampler = new TaskSampler(sampling, temperature, tasks(900, 100), List.of(0, 1), 10, new Random(1));
        int[] counts = new int[2];
        for (int e = 0; e < epochs; e++) {
            for (TaskSampler.Draw draw : sampler.epoch(100)) {
                counts[draw.task()]++;
            }
        }
        return counts;
    }

    @Test
    void proportionalSamplingFollowsTheDataSizes() {
        int[] counts = counts(TaskSampling.PROPORTIONAL, 1, 50);
        assertEquals(0.1, counts[1] / 5000.0, 0.015);
    }

    @Test
    void temperatureSamplingUpsamplesTheSmallTask() {
        int[] counts = counts(TaskSampling.TEMPERATURE, 2, 50);
        // sqrt(100) / (sqrt(900) + sqrt(100)) = 0.25
        assertEquals(0.25, counts[1] / 5000.0, 0.02);
    }

    @Test
    void roundRobinAlternatesUntilATaskRunsOut() {
        TaskSampler sampler = new TaskSampler(TaskSampling.ROUND_ROBIN, 1, tasks(50, 20), List.of(0, 1), 10,
                new Random(1));
        List<TaskSampler.Draw> draws = sampler.epoch(7);
        assertEquals(List.of(0, 1, 0, 1, 0, 0, 0), draws.stream().map(TaskSampler.Draw::task).toList());
    }

    @Test
    void eachTaskSeesEveryExampleOncePerPassOverIt() {
        TaskSampler sampler = new TaskSampler(TaskSampling.ROUND_ROBIN, 1, tasks(45, 20), List.of(0, 1), 10,
                new Random(1));
        Set<Integer> seen = new HashSet<>();
        int rows = 0;
        for (TaskSampler.Draw draw : sampler.epoch(7)) {
            if (draw.task() == 0) {
                for (int e : draw.examples()) {
                    seen.add(e);
                    rows++;
                }
            }
        }
        assertEquals(45, rows);
        assertEquals(45, seen.size());
        assertTrue(seen.contains(44));
    }
}
