package org.bert4j.spark;

/** How an embedding column is typed: a Spark ML vector, which Spark ML's estimators take as they are, or floats. */
public enum VectorFormat {
    /**
     * {@code org.apache.spark.ml.linalg.Vector} ({@code VectorUDT}), dense: what k-means, LSH and the other Spark ML
     * estimators read. Spark ML vectors hold doubles; every float converts exactly.
     */
    VECTOR,
    /** {@code array<float>}: half the bytes in Parquet, and readable without Spark ML. */
    ARRAY
}
