package org.bert4j.engine.bert;

import org.bert4j.engine.BertConfig;
import org.bert4j.engine.TokenBatch;

import java.io.IOException;

/**
 * The input representation: word + position + token-type embeddings, then LayerNorm (BERT paper §3, figure 2;
 * {@code modeling_bert.py} {@code BertEmbeddings}). Dropout is the identity at inference.
 */
public final class BertEmbeddings {

    private final BertConfig config;
    private final float[] wordEmbeddings;       // [vocab_size × hidden]
    private final float[] positionEmbeddings;   // [max_position_embeddings × hidden]
    private final float[] tokenTypeEmbeddings;  // [type_vocab_size × hidden]
    private final BertLayerNorm layerNorm;

    private BertEmbeddings(BertConfig config, float[] word, float[] position, float[] tokenType, BertLayerNorm layerNorm) {
        this.config = config;
        this.wordEmbeddings = word;
        this.positionEmbeddings = position;
        this.tokenTypeEmbeddings = tokenType;
        this.layerNorm = layerNorm;
    }

    /** Loads the {@code embeddings.*} tensors. */
    public static BertEmbeddings load(Checkpoint checkpoint, BertConfig c, Compute compute) throws IOException {
        int h = c.hiddenSize();
        return new BertEmbeddings(c,
                checkpoint.floats("embeddings.word_embeddings.weight", c.vocabSize(), h),
                checkpoint.floats("embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), h),
                checkpoint.floats("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h),
                BertLayerNorm.load(checkpoint, "embeddings.LayerNorm", h, c.layerNormEps(), compute.pool()));
    }

    /**
     * Checks every id and length of the batch against the tables, so a bad input fails with its position
     * before any computation.
     */
    public void validate(TokenBatch batch) {
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.sequenceLengths()[s];
            if (len > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("sequence " + s + " has " + len + " tokens, more than max_position_embeddings ("
                        + config.maxPositionEmbeddings() + "); truncate it");
            }
            int start = batch.sequenceStarts()[s];
            for (int t = 0; t < len; t++) {
                int id = batch.ids()[start + t];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("sequence " + s + ", token " + t + ": id " + id
                            + " is outside the vocabulary [0, " + config.vocabSize() + ")");
                }
                int type = batch.typeIds()[start + t];
                if (type < 0 || type >= config.typeVocabSize()) {
                    throw new IllegalArgumentException("sequence " + s + ", token " + t + ": token type id " + type
                            + " is outside [0, " + config.typeVocabSize() + ")");
                }
            }
        }
    }

    /** Writes the embedded, normalised tokens of the batch into {@code out} [tokens × hidden]. */
    public void forward(TokenBatch batch, float[] scratch, float[] out) {
        int h = config.hiddenSize();
        for (int s = 0; s < batch.size(); s++) {
            int start = batch.sequenceStarts()[s];
            for (int t = 0; t < batch.sequenceLengths()[s]; t++) {
                int row = (start + t) * h;
                int word = batch.ids()[start + t] * h;
                int type = batch.typeIds()[start + t] * h;
                // Positions restart at 0 in every sequence: what HF computes for a right-padded batch.
                int position = t * h;
                for (int i = 0; i < h; i++) {
                    scratch[row + i] = wordEmbeddings[word + i] + tokenTypeEmbeddings[type + i] + positionEmbeddings[position + i];
                }
            }
        }
        layerNorm.apply(scratch, batch.totalTokens(), out);
    }
}
