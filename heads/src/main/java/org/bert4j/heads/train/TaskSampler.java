package org.bert4j.heads.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Decides, for each step of an epoch, which task's batch comes next and which examples form it. Each task walks
 * through its own shuffled order; when it runs out (temperature sampling revisits small tasks) it reshuffles.
 */
final class TaskSampler {

    /** One step: the task and the example indices of its batch. */
    record Draw(int task, int[] examples) {
    }

    private final TaskSampling sampling;
    private final List<Integer> trained;
    private final int batchSize;
    private final Random random;
    private final int[] sizes;
    private final int[][] order;
    private final int[] cursor;
    private final double[] probability;

    TaskSampler(TaskSampling sampling, double temperature, List<Task> tasks, List<Integer> trained, int batchSize,
                Random random) {
        this.sampling = sampling;
        this.trained = List.copyOf(trained);
        this.batchSize = batchSize;
        this.random = random;
        this.sizes = new int[tasks.size()];
        this.order = new int[tasks.size()][];
        this.cursor = new int[tasks.size()];
        this.probability = new double[tasks.size()];
        double exponent = sampling == TaskSampling.TEMPERATURE ? 1 / temperature : 1;
        double total = 0;
        for (int t : trained) {
            sizes[t] = tasks.get(t).train().size();
            probability[t] = Math.pow(sizes[t], exponent);
            total += probability[t];
        }
        for (int t : trained) {
            probability[t] /= total;
        }
    }

    /** The draws of one epoch of {@code steps} steps. */
    List<Draw> epoch(int steps) {
        for (int t : trained) {
            reshuffle(t);
        }
        List<Draw> draws = new ArrayList<>(steps);
        if (sampling == TaskSampling.ROUND_ROBIN) {
            int[] left = new int[sizes.length];
            for (int t : trained) {
                left[t] = (sizes[t] + batchSize - 1) / batchSize;
            }
            while (draws.size() < steps) {
                for (int t : trained) {
                    if (left[t] > 0) {
                        left[t]--;
                        draws.add(new Draw(t, next(t)));
                    }
                }
            }
            return draws;
        }
        for (int s = 0; s < steps; s++) {
            draws.add(new Draw(pick(), null));
        }
        // Batches are cut after the task order is fixed so that each task's batches follow its own shuffle.
        List<Draw> filled = new ArrayList<>(steps);
        for (Draw draw : draws) {
            filled.add(new Draw(draw.task(), next(draw.task())));
        }
        return filled;
    }

    private int pick() {
        double u = random.nextDouble();
        double cumulative = 0;
        int last = trained.getLast();
        for (int t : trained) {
            cumulative += probability[t];
            if (u < cumulative) {
                return t;
            }
        }
        return last; // rounding left u above the last cumulative sum
    }

    private int[] next(int t) {
        if (cursor[t] >= sizes[t]) {
            reshuffle(t);
        }
        int end = Math.min(sizes[t], cursor[t] + batchSize);
        int[] batch = java.util.Arrays.copyOfRange(order[t], cursor[t], end);
        cursor[t] = end;
        return batch;
    }

    private void reshuffle(int t) {
        int[] o = order[t] == null ? new int[sizes[t]] : order[t];
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        for (int i = o.length - 1; i > 0; i--) { // Fisher–Yates
            int j = random.nextInt(i + 1);
            int tmp = o[i];
            o[i] = o[j];
            o[j] = tmp;
        }
        order[t] = o;
        cursor[t] = 0;
    }
}
