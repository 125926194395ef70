package org.bert4j.spark;

import org.apache.spark.TaskContext;

/**
 * How many compute threads a model loaded by a task gets. Spark runs {@code executor cores / spark.task.cpus} tasks
 * at once on an executor and gives each {@code spark.task.cpus} cores. The tasks share one model, and the engine's
 * pool lets every caller compute on its own thread plus the pool's helpers (C callers on a pool of T threads use at
 * most C + T − 1 threads). A pool of {@code spark.task.cpus} threads thus keeps an executor within its cores: with
 * one CPU per task, every running task computes on its own thread and nothing more.
 */
final class TaskThreads {

    private TaskThreads() {
    }

    /** The options' thread count, else the CPUs of the running task, else 1 (outside a task). */
    static int of(Bert4jSparkOptions options) {
        if (options.threads() > 0) {
            return options.threads();
        }
        TaskContext task = TaskContext.get();
        return task == null ? 1 : Math.max(1, task.cpus());
    }
}
