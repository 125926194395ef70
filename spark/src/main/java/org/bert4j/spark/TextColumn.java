package org.bert4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A partition's rows with one column added: the rows are read {@code batchSize} at a time, their texts go through
 * the model in one call (so the matrix products see whole batches, not single rows), and the rows come out in the
 * order they came in, each with its result appended. The model is loaded by the first batch, so an empty partition
 * loads nothing.
 */
final class TextColumn implements MapPartitionsFunction<Row, Row> {

    @Serial
    private static final long serialVersionUID = 1L;
    /** How much of a row an error message shows. */
    private static final int SHOWN_CHARS = 200;

    private final Task task;
    private final String column;
    private final int textIndex;
    private final Bert4jSparkOptions options;

    TextColumn(Task task, String column, int textIndex, Bert4jSparkOptions options) {
        this.task = task;
        this.column = column;
        this.textIndex = textIndex;
        this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        int threads = TaskThreads.of(options);
        TaskContext context = TaskContext.get();
        int partition = context == null ? -1 : context.partitionId();
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>(options.batchSize());
            private int next;
            private long rowsRead;

            @Override
            public boolean hasNext() {
                if (next == ready.size()) {
                    fill();
                }
                return next < ready.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }

            private void fill() {
                ready.clear();
                next = 0;
                List<Row> batch = new ArrayList<>(options.batchSize());
                List<String> texts = new ArrayList<>(options.batchSize());
                boolean[] empty = new boolean[options.batchSize()];
                while (batch.size() < options.batchSize() && rows.hasNext()) {
                    Row row = rows.next();
                    String text = row.isNullAt(textIndex) ? null : row.getString(textIndex);
                    if (isEmpty(text)) {
                        if (options.emptyText() == EmptyText.ERROR) {
                            throw new IllegalArgumentException("bert4j: row " + rowsRead + " (0-based) of partition "
                                    + partition + " has " + (text == null ? "a null" : "an empty") + " '" + column
                                    + "': " + shown(row));
                        }
                        empty[batch.size()] = true;
                    } else {
                        texts.add(text);
                    }
                    batch.add(row);
                    rowsRead++;
                }
                // One call for the whole batch: the texts are packed into one forward pass.
                Object[] results = texts.isEmpty() ? new Object[0] : task.run(texts, options, threads);
                int r = 0;
                for (int i = 0; i < batch.size(); i++) {
                    ready.add(withColumn(batch.get(i), empty[i] ? null : results[r++]));
                }
            }
        };
    }

    /** Null, empty and blank texts have nothing to embed: tokenised they are [CLS] [SEP] alone. */
    static boolean isEmpty(String text) {
        return text == null || text.isBlank();
    }

    private static Row withColumn(Row row, Object value) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = value;
        return RowFactory.create(values);
    }

    private static String shown(Row row) {
        String s = row.toString();
        return s.length() <= SHOWN_CHARS ? s : s.substring(0, SHOWN_CHARS) + "…";
    }
}
