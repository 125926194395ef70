package org.bert4j.spark.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bert4j.spark.Bert4jSpark;
import org.bert4j.spark.Bert4jSparkOptions;

import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

/**
 * Rows per second of {@link Bert4jSpark#embed} in local[2] on a JSONL file's {@code headline} and
 * {@code short_description} (joined with a space, as {@code bert4j embed --columns headline,short_description}
 * joins them). Prints one line per pass: the first pass loads the model and warms the JIT, later ones are steady.
 * Run by {@code spark/bench/run}, which times the CLI on the same rows right after.
 */
public final class SparkEmbedThroughput {

    private SparkEmbedThroughput() {
    }

    /** Arguments: the JSONL file, the number of passes (default 2), the GEMM backend (default java). */
    public static void main(String[] args) {
        long processStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                .orElse(System.currentTimeMillis());
        String input = args[0];
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String gemm = args.length > 2 ? args[2] : "java";
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bert4j spark throughput")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        try {
            // Read once and keep: the passes time embedding, not JSON parsing.
            Dataset<Row> texts = spark.read().json(input)
                    .select(concat_ws(" ", col("headline"), col("short_description")).as("text"))
                    .repartition(4).cache();
            long rows = texts.count();
            Bert4jSparkOptions options = Bert4jSparkOptions.defaults().withGemm(gemm);
            for (int pass = 1; pass <= passes; pass++) {
                long start = System.nanoTime();
                Bert4jSpark.embed(texts, "text", "embedding", options).write().format("noop").mode("overwrite").save();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "spark local[2] pass %d: %d rows in %.2f s = %.1f rows/s (gemm %s)%n",
                        pass, rows, seconds, rows / seconds, gemm);
            }
            System.out.printf(Locale.ROOT, "spark process so far: %.2f s%n",
                    (System.currentTimeMillis() - processStart) / 1e3);
        } finally {
            spark.stop();
            Bert4jSpark.releaseModels();
        }
    }
}
