package org.bert4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.api.java.UDF1;

import java.io.Serial;
import java.util.List;

/**
 * A bert4j task as a Spark SQL function of one text ({@code bert4j_embed(text)}). Spark calls such a function once
 * per row, so each call is a forward pass over one text: right for queries, slower for bulk work, where
 * {@link Bert4jSpark#embed} feeds whole batches.
 */
final class TextFunction implements UDF1<String, Object> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Task task;
    private final Bert4jSparkOptions options;
    /** Texts this copy has seen: Spark deserialises a function once per task, so this counts within a partition. */
    private transient long calls;

    TextFunction(Task task, Bert4jSparkOptions options) {
        this.task = task;
        this.options = options;
    }

    @Override
    public Object call(String text) {
        long call = calls++;
        if (TextColumn.isEmpty(text)) {
            if (options.emptyText() == EmptyText.ERROR) {
                TaskContext context = TaskContext.get();
                throw new IllegalArgumentException("bert4j: " + task.functionName() + " was given "
                        + (text == null ? "a null" : "an empty") + " text, its call " + call + " (0-based)"
                        + (context == null ? "" : " in partition " + context.partitionId())
                        + "; filter such rows first (WHERE trim(col) <> '') or leave EmptyText.NULL to get null");
            }
            return null;
        }
        return task.run(List.of(text), options, TaskThreads.of(options))[0];
    }
}
