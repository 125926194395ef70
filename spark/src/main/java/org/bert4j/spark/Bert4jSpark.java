package org.bert4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/**
 * bert4j on Spark DataFrames: embed, classify or tag a text column, on every executor at once.
 *
 * <p>{@code Bert4jSpark.embed(df, "text", "embedding", Bert4jSparkOptions.defaults())} returns {@code df} with an
 * {@code embedding} column. Each executor JVM loads the model once, the first time one of its tasks needs it, and
 * keeps it for the later tasks; rows go through the model {@code batchSize} at a time, in their partition's order.
 * A row whose text is null, empty or blank gets null (or fails the job with an error naming it, as the options say).
 * Nothing runs until an action (write, collect, count) asks for the rows.
 */
public final class Bert4jSpark {

    private Bert4jSpark() {
    }

    /** {@code df} with a column of sentence embeddings of {@code inputCol}: a Spark ML vector or {@code array<float>}. */
    public static Dataset<Row> embed(Dataset<Row> df, String inputCol, String outputCol, Bert4jSparkOptions options) {
        return withColumn(Task.EMBED, df, inputCol, outputCol, options);
    }

    /**
     * {@code df} with a column of a classification head's answer for {@code inputCol}:
     * {@code struct<label: string, score: double, probabilities: map<string, double>>}. Needs
     * {@link Bert4jSparkOptions#heads()}.
     */
    public static Dataset<Row> classify(Dataset<Row> df, String inputCol, String outputCol, Bert4jSparkOptions options) {
        requireHeads(options);
        return withColumn(Task.CLASSIFY, df, inputCol, outputCol, options);
    }

    /**
     * {@code df} with a column of the entities a token-classification head finds in {@code inputCol}:
     * {@code array<struct<label: string, start: int, end: int, text: string, score: double>>}, character offsets
     * {@code [start, end)}. Needs {@link Bert4jSparkOptions#heads()}.
     */
    public static Dataset<Row> ner(Dataset<Row> df, String inputCol, String outputCol, Bert4jSparkOptions options) {
        requireHeads(options);
        return withColumn(Task.NER, df, inputCol, outputCol, options);
    }

    /**
     * Makes {@code bert4j_embed(text)} callable from Spark SQL, and {@code bert4j_classify(text)} and
     * {@code bert4j_ner(text)} too when the options name a heads folder. Registering again replaces them. Spark
     * calls these once per row (one text per forward pass): for bulk work, {@link #embed} is faster.
     */
    public static void registerFunctions(SparkSession spark, Bert4jSparkOptions options) {
        for (Task task : Task.values()) {
            if (task == Task.EMBED || options.heads() != null) {
                spark.udf().register(task.functionName(), new TextFunction(task, options), task.outputType(options));
            }
        }
    }

    /** How many models this JVM has loaded (the driver's count in local mode, where the driver is the executor). */
    public static int modelLoads() {
        return ExecutorModels.loads();
    }

    /**
     * Closes the models this JVM holds (their threads and mapped weights); a later job loads them again. For
     * local-mode applications that go on after their Spark work; an executor's models end with it.
     */
    public static void releaseModels() {
        ExecutorModels.closeAll();
    }

    private static Dataset<Row> withColumn(Task task, Dataset<Row> df, String inputCol, String outputCol,
                                           Bert4jSparkOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null (Bert4jSparkOptions.defaults())");
        }
        StructType schema = df.schema();
        String[] names = schema.fieldNames();
        if (!Arrays.asList(names).contains(inputCol)) {
            throw new IllegalArgumentException("no input column '" + inputCol + "' (columns: " + Arrays.toString(names)
                    + ")");
        }
        StructField input = schema.apply(inputCol);
        if (!input.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("input column '" + inputCol + "' is " + input.dataType().simpleString()
                    + ", not string");
        }
        if (Arrays.asList(names).contains(outputCol)) {
            throw new IllegalArgumentException("output column '" + outputCol + "' already exists (columns: "
                    + Arrays.toString(names) + ")");
        }
        StructType out = schema.add(outputCol, task.outputType(options), true);
        TextColumn function = new TextColumn(task, inputCol, schema.fieldIndex(inputCol), options);
        return df.mapPartitions(function, Encoders.row(out));
    }

    private static void requireHeads(Bert4jSparkOptions options) {
        if (options == null || options.heads() == null) {
            throw new IllegalArgumentException("classify and ner need a heads folder: Bert4jSparkOptions.heads(dir)");
        }
    }
}
