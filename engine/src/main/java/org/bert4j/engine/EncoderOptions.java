package org.bert4j.engine;

import org.bert4j.folder.Pooling;

/**
 * How a {@link SentenceEncoder} turns texts into vectors. Null or 0 fields mean "the model folder's default".
 *
 * @param pooling    CLS, MEAN or MAX; null: from {@code 1_Pooling/config.json}, else MEAN (announced on load)
 * @param normalize  L2-normalise each vector; null: true when the folder has a Normalize module ({@code 2_Normalize}
 *                   or a Normalize entry in {@code modules.json}), else false
 * @param batchSize  texts per forward pass (they are packed without padding, so mixed lengths cost nothing extra)
 * @param maxLength  tokens per text including [CLS] and [SEP]; longer texts are truncated, as Hugging Face does;
 *                   0: the folder's {@code max_seq_length} / {@code model_max_length}, at most max_position_embeddings
 * @param engine     threads and GEMM backend of the underlying {@link BertModel}
 */
public record EncoderOptions(Pooling pooling, Boolean normalize, int batchSize, int maxLength, EngineOptions engine) {

    /** Checks the numbers. */
    public EncoderOptions {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (maxLength < 0 || maxLength == 1) {
            throw new IllegalArgumentException("maxLength must be 0 (model default) or at least 2 ([CLS] and [SEP]), got " + maxLength);
        }
        if (engine == null) {
            engine = EngineOptions.defaults();
        }
    }

    /** Everything from the model folder; batches of 32. */
    public static EncoderOptions defaults() {
        return new EncoderOptions(null, null, 32, 0, EngineOptions.defaults());
    }

    /** A copy with another pooling. */
    public EncoderOptions withPooling(Pooling pooling) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine);
    }

    /** A copy that does or does not L2-normalise. */
    public EncoderOptions withNormalize(boolean normalize) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine);
    }

    /** A copy with another batch size. */
    public EncoderOptions withBatchSize(int batchSize) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine);
    }

    /** A copy with another truncation length. */
    public EncoderOptions withMaxLength(int maxLength) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine);
    }

    /** A copy with another thread count (0 = one per processor). */
    public EncoderOptions withThreads(int threads) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine.withThreads(threads));
    }

    /** A copy with another GEMM backend ("auto", "openblas", "java"). */
    public EncoderOptions withGemm(String gemm) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine.withGemm(gemm));
    }

    /** A copy with another kernel set ("vector", "vector-256", "scalar", ...). */
    public EncoderOptions withKernels(String kernels) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine.withKernels(kernels));
    }

    /** A copy with other engine options. */
    public EncoderOptions withEngine(EngineOptions engine) {
        return new EncoderOptions(pooling, normalize, batchSize, maxLength, engine);
    }
}
