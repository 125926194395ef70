package org.bert4j.spark;

/** What a row whose text is null, empty or only whitespace gets. */
public enum EmptyText {
    /** A null result, as Spark's own functions give for null input; the job goes on. */
    NULL,
    /** The job fails with an error naming the row (its partition, its position there, and its values). */
    ERROR
}
