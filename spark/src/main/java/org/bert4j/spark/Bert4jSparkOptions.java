package org.bert4j.spark;

import org.bert4j.folder.Pooling;

import java.io.Serializable;

/**
 * What the executors load and how they turn a text column into results. It travels with the job to every executor,
 * so it holds names and numbers only, never a loaded model.
 *
 * @param model      the model folder: a path every executor can read, the name of a folder shipped with
 *                   {@code SparkContext.addFile(dir, true)} (found through {@code SparkFiles.get}), or
 *                   {@code bundled:NAME} for a model whose jar is on the executors' classpath; null: for
 *                   embeddings the default model ({@code bundled:all-MiniLM-L6-v2}), for heads the backbone their
 *                   {@code heads.json} names
 * @param heads      a folder of heads saved by {@code MultiTaskModel.save} or {@code bert4j train} (a path or a
 *                   shipped name, as {@code model}); needed by classify and ner only
 * @param task       the head to use; null: the heads folder's only head of the kind asked for
 * @param batchSize  texts per forward pass; larger batches keep the matrix products large
 * @param maxLength  tokens per text, [CLS] and [SEP] included; 0: the model folder's (or the saved heads') default
 * @param threads    compute threads per loaded model; 0: the CPUs Spark gives each task ({@code spark.task.cpus}),
 *                   so the tasks running at once on an executor use its cores and no more
 * @param pooling    embeddings' pooling; null: the model folder's {@code 1_Pooling/config.json}, else mean
 * @param normalize  L2-normalise embeddings; null: as the model folder says
 * @param vectors    the embedding column's type
 * @param emptyText  what a null, empty or blank text gets
 * @param gemm       the engine's matrix-multiply backend: "java" (default here), "auto" or "openblas". The pure-Java
 *                   kernel is the default on Spark because Spark ML's native BLAS (netlib, which loads the system's
 *                   {@code libblas.so.3}) and bert4j's bundled OpenBLAS crash when both are loaded into one executor
 *                   (two OpenBLAS builds resolve each other's internal symbols); choose "auto" only on executors that
 *                   run no Spark ML, or where Spark ML's BLAS is pure Java
 */
public record Bert4jSparkOptions(String model, String heads, String task, int batchSize, int maxLength, int threads,
                                 Pooling pooling, Boolean normalize, VectorFormat vectors, EmptyText emptyText,
                                 String gemm) implements Serializable {

    /** Checks the numbers and fills in the defaults of null choices. */
    public Bert4jSparkOptions {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (maxLength < 0 || maxLength == 1) {
            throw new IllegalArgumentException("maxLength must be 0 (model default) or at least 2 ([CLS] and [SEP]), got "
                    + maxLength);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = spark.task.cpus), got " + threads);
        }
        if (vectors == null) {
            vectors = VectorFormat.VECTOR;
        }
        if (emptyText == null) {
            emptyText = EmptyText.NULL;
        }
        if (gemm == null) {
            gemm = "java";
        }
    }

    /** The default model, its own pooling and length, batches of 32, Spark ML vectors, null for empty texts. */
    public static Bert4jSparkOptions defaults() {
        return new Bert4jSparkOptions(null, null, null, 32, 0, 0, null, null, VectorFormat.VECTOR, EmptyText.NULL,
                "java");
    }

    /** The defaults with another model folder (a path, a shipped folder's name, or {@code bundled:NAME}). */
    public static Bert4jSparkOptions model(String model) {
        return defaults().withModel(model);
    }

    /** The defaults with a saved heads folder, for classify and ner. */
    public static Bert4jSparkOptions heads(String heads) {
        return defaults().withHeads(heads);
    }

    /** A copy with another model folder. */
    public Bert4jSparkOptions withModel(String model) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with another heads folder. */
    public Bert4jSparkOptions withHeads(String heads) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy that uses the head named {@code task}. */
    public Bert4jSparkOptions withTask(String task) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with another batch size. */
    public Bert4jSparkOptions withBatchSize(int batchSize) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with another truncation length. */
    public Bert4jSparkOptions withMaxLength(int maxLength) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with a fixed thread count per model (0: {@code spark.task.cpus}). */
    public Bert4jSparkOptions withThreads(int threads) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with another pooling for embeddings. */
    public Bert4jSparkOptions withPooling(Pooling pooling) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy that does or does not L2-normalise embeddings. */
    public Bert4jSparkOptions withNormalize(boolean normalize) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy whose embedding column has another type. */
    public Bert4jSparkOptions withVectors(VectorFormat vectors) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with another GEMM backend ("java", "auto", "openblas"): see {@link #gemm()} before leaving "java". */
    public Bert4jSparkOptions withGemm(String gemm) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }

    /** A copy with another answer to null, empty or blank texts. */
    public Bert4jSparkOptions withEmptyText(EmptyText emptyText) {
        return new Bert4jSparkOptions(model, heads, task, batchSize, maxLength, threads, pooling, normalize, vectors,
                emptyText, gemm);
    }
}
