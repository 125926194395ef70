package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.TokenBatch;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The input representation: word + position + token-type embeddings, then LayerNorm (BERT paper §3, figure 2;
 * {@code modeling_bert.py} {@code BertEmbeddings}). Dropout is the identity at inference.
 */
public final class BertEmbeddings {

    /** Safetensors stores F32 little-endian, and the file gives no alignment guarantee. */
    private static final ValueLayout.OfFloat STORED_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final BertConfig config;
    /**
     * [vocab_size × hidden], read in place from the memory-mapped file when it is F32 (the largest tensor of a small
     * model: 47 MB of MiniLM's 90), else converted once into a heap array.
     */
    private final MemorySegment wordEmbeddings;
    private final ValueLayout.OfFloat wordLayout;
    private final float[] positionEmbeddings;   // [max_position_embeddings × hidden]
    private final float[] tokenTypeEmbeddings;  // [type_vocab_size × hidden]
    private final BertLayerNorm layerNorm;

    private BertEmbeddings(BertConfig config, MemorySegment word, ValueLayout.OfFloat wordLayout, float[] position,
                           float[] tokenType, BertLayerNorm layerNorm) {
        this.config = config;
        this.wordEmbeddings = word;
        this.wordLayout = wordLayout;
        this.positionEmbeddings = position;
        this.tokenTypeEmbeddings = tokenType;
        this.layerNorm = layerNorm;
    }

    /** Loads the {@code embeddings.*} tensors; an F32 word table stays in the mapped file. */
    public static BertEmbeddings load(Checkpoint checkpoint, BertConfig c, Compute compute) throws IOException {
        int h = c.hiddenSize();
        String words = "embeddings.word_embeddings.weight";
        MemorySegment mapped = checkpoint.f32Segment(words, c.vocabSize(), h);
        MemorySegment word = mapped;
        ValueLayout.OfFloat layout = STORED_FLOAT;
        if (mapped == null) {
            long start = System.nanoTime();
            float[] converted = checkpoint.floats(words, c.vocabSize(), h);
            compute.repacking().add(4L * converted.length, System.nanoTime() - start);
            word = MemorySegment.ofArray(converted);
            layout = ValueLayout.JAVA_FLOAT_UNALIGNED;   // a heap array is in the machine's own byte order
        }
        return new BertEmbeddings(c, word, layout,
                checkpoint.floats("embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), h),
                checkpoint.floats("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h),
                BertLayerNorm.load(checkpoint, "embeddings.LayerNorm", h, c.layerNormEps(), compute));
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
                long word = (long) batch.ids()[start + t] * h * Float.BYTES;
                int type = batch.typeIds()[start + t] * h;
                // Positions restart at 0 in every sequence: what HF computes for a right-padded batch.
                int position = t * h;
                MemorySegment.copy(wordEmbeddings, wordLayout, word, scratch, row, h);
                for (int i = 0; i < h; i++) {
                    // (word + token type) + position, in HF's order, so the sums round as theirs do.
                    scratch[row + i] = scratch[row + i] + tokenTypeEmbeddings[type + i] + positionEmbeddings[position + i];
                }
            }
        }
        layerNorm.apply(scratch, batch.totalTokens(), out);
    }
}
