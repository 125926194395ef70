package org.bert4j.spark.examples;

import org.apache.spark.ml.feature.BucketedRandomProjectionLSH;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.bert4j.spark.Bert4jSpark;
import org.bert4j.spark.Bert4jSparkOptions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;

/**
 * Embeds the headlines of a news JSONL file with bert4j on Spark, finds each headline's nearest neighbour with Spark
 * ML's locality-sensitive hashing, and writes the pairs as Parquet.
 *
 * <p>Run it with {@code spark/examples/run [news.jsonl] [output-dir] [rows]} (local[2]), or submit it to a cluster
 * with the bert4j jars ({@code spark-submit --class org.bert4j.spark.examples.NewsNeighbours --jars ...}).
 */
public final class NewsNeighbours {

    /**
     * Width of a hash bucket on a random projection. The headlines' embeddings project into a narrow band (a standard
     * deviation of about 0.01, not the 0.05 of random unit vectors: they share a common direction), so buckets of
     * 0.002 put about 1.1% of all pairs together per table. Measured on the 8000 headlines with 8 tables: 9% of all
     * pairs become candidates, and 13% of the headlines share a bucket with their true nearest. Headlines are a hard
     * case: a headline's nearest is hardly closer than a random one (median distance 0.93 against about 1.25), so no
     * bucket width separates them; near-duplicates (distance below 0.6) share a bucket far more often.
     */
    static final double BUCKET_LENGTH = 0.002;
    /** Hash tables: each one more chance for a near pair to share a bucket, and as many candidate pairs again. */
    static final int HASH_TABLES = 8;
    /** Pairs farther apart than this (cosine below 0.28) are not neighbours worth reporting. */
    static final double MAX_DISTANCE = 1.2;

    private NewsNeighbours() {
    }

    /** Arguments: the JSONL file, the output folder, and optionally how many rows to read (default: all). */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: NewsNeighbours NEWS.jsonl OUTPUT-DIR [ROWS]");
            System.exit(2);
        }
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        SparkSession spark = SparkSession.builder().appName("bert4j news neighbours").master("local[2]").getOrCreate();
        try {
            long start = System.nanoTime();
            Dataset<Row> pairs = run(spark, args[0], args[1], rows, Bert4jSparkOptions.defaults());
            pairs.orderBy("id").show(10, 60);
            System.out.printf("wrote %s in %.1f s%n", args[1], (System.nanoTime() - start) / 1e9);
        } finally {
            spark.stop();
            Bert4jSpark.releaseModels();
        }
    }

    /**
     * Reads {@code rows} news items, embeds their headlines, joins each with its nearest other headline and writes
     * {@code id, headline, category, neighbour_id, neighbour_headline, distance, cosine} to {@code output}.
     * Returns the written pairs (read back from the Parquet).
     */
    public static Dataset<Row> run(SparkSession spark, String input, String output, int rows,
                                   Bert4jSparkOptions options) {
        Dataset<Row> news = spark.read().json(input).limit(rows)
                .select(monotonically_increasing_id().as("id"), col("headline"), col("category"));
        // Several partitions per core keep both cores busy; each executor loads the model once for all of them.
        int partitions = 2 * spark.sparkContext().defaultParallelism();
        Dataset<Row> embedded = Bert4jSpark.embed(news.repartition(partitions), "headline", "embedding", options)
                .where(col("embedding").isNotNull())
                .cache();

        // The embeddings are unit vectors, so a Euclidean distance d is a cosine of 1 - d²/2. The join pairs rows that
        // share a bucket in any of the hash tables and computes their distance, so only ids and vectors go into it
        // (the headlines are joined back afterwards): the candidate pairs, not the rows, are what costs.
        Dataset<Row> vectors = embedded.select("id", "embedding");
        BucketedRandomProjectionLSHModel lsh = new BucketedRandomProjectionLSH()
                .setInputCol("embedding").setOutputCol("hashes").setBucketLength(BUCKET_LENGTH)
                .setNumHashTables(HASH_TABLES).setSeed(18).fit(vectors);
        Dataset<Row> candidates = lsh.approxSimilarityJoin(vectors, vectors, MAX_DISTANCE, "distance")
                .where(col("datasetA.id").notEqual(col("datasetB.id")))
                .select(col("datasetA.id").as("id"), col("datasetB.id").as("neighbour_id"), col("distance"));
        Dataset<Row> headlines = embedded.select("id", "headline", "category");
        Dataset<Row> nearest = candidates
                .withColumn("rank", row_number().over(Window.partitionBy("id").orderBy("distance", "neighbour_id")))
                .where(col("rank").equalTo(1)).drop("rank")
                .join(headlines, "id")
                .join(headlines.select(col("id").as("neighbour_id"), col("headline").as("neighbour_headline")),
                        "neighbour_id")
                .select(col("id"), col("headline"), col("category"), col("neighbour_id"), col("neighbour_headline"),
                        col("distance"), expr("1 - distance * distance / 2").as("cosine"));
        nearest.write().mode("overwrite").parquet(output);
        embedded.unpersist();
        return spark.read().parquet(output);
    }
}
