package org.bert4j.training.bert;

import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Dropout;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * The input representation, trainable: LayerNorm((word + token type) + position), then dropout (BERT paper §3;
 * {@code modeling_bert.py} {@code BertEmbeddings}). Its backward scatters each token's gradient into the three tables'
 * rows; the padding token's word row gets none, as {@code nn.Embedding(padding_idx=pad_token_id)}.
 */
final class BertEmbeddings {

    private final BertConfig config;
    final Parameter word;        // [vocab × hidden]
    final Parameter position;    // [max positions × hidden]
    final Parameter tokenType;   // [type vocab × hidden]
    final LayerNorm layerNorm;

    /** What the forward keeps for the backward: the LayerNorm's rows and the dropout's seed (its mask is drawn again). */
    record Saved(LayerNorm.Saved layerNorm, Long maskSeed) {}

    private BertEmbeddings(BertConfig config, Parameter word, Parameter position, Parameter tokenType,
                           LayerNorm layerNorm) {
        this.config = config;
        this.word = word;
        this.position = position;
        this.tokenType = tokenType;
        this.layerNorm = layerNorm;
    }

    static BertEmbeddings load(Checkpoint checkpoint, BertConfig c) throws IOException {
        int h = c.hiddenSize();
        return new BertEmbeddings(c,
                table(checkpoint, "embeddings.word_embeddings.weight", c.vocabSize(), h),
                table(checkpoint, "embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), h),
                table(checkpoint, "embeddings.token_type_embeddings.weight", c.typeVocabSize(), h),
                LayerNorm.load(checkpoint, "embeddings.LayerNorm", h, c.layerNormEps()));
    }

    private static Parameter table(Checkpoint checkpoint, String name, int rows, int width) throws IOException {
        // Embedding tables are decayed, as Hugging Face's Trainer decays every weight but biases and LayerNorms.
        return new Parameter(name, new int[] {rows, width}, checkpoint.floats(name, rows, width), true);
    }

    List<Parameter> parameters() {
        return List.of(word, position, tokenType, layerNorm.gamma, layerNorm.beta);
    }

    /** out [tokens × hidden] = dropout(LayerNorm(embeddings)); keeps what the backward needs when {@code save}. */
    Saved forward(Compute compute, TokenBatch batch, float[] out, Long seed, boolean save) {
        int h = config.hiddenSize();
        int tokens = batch.totalTokens();
        float[] sum = new float[tokens * h];
        float[] w = word.value();
        float[] p = position.value();
        float[] t = tokenType.value();
        for (int s = 0; s < batch.size(); s++) {
            int start = batch.sequenceStarts()[s];
            for (int i = 0; i < batch.sequenceLengths()[s]; i++) {
                int row = (start + i) * h;
                int id = batch.ids()[start + i] * h;
                int type = batch.typeIds()[start + i] * h;
                int pos = i * h;
                for (int j = 0; j < h; j++) {
                    // (word + token type) + position, in Hugging Face's order, so the sums round as theirs do.
                    sum[row + j] = w[id + j] + t[type + j] + p[pos + j];
                }
            }
        }
        LayerNorm.Saved normalised = layerNorm.forward(compute, sum, tokens, out, save);
        Long maskSeed = seed == null ? null : Dropout.seed(seed, 0, 0);
        if (maskSeed != null) {
            Dropout.apply(compute, maskSeed, config.hiddenDropoutProb(), out, tokens * h);
        }
        return save ? new Saved(normalised, maskSeed) : null;
    }

    /** The gradients of the three tables and the LayerNorm from dOut (modified in place). */
    void backward(Compute compute, Saved saved, TokenBatch batch, float[] dOut) {
        int h = config.hiddenSize();
        int tokens = batch.totalTokens();
        if (saved.maskSeed() != null) {
            Dropout.apply(compute, saved.maskSeed(), config.hiddenDropoutProb(), dOut, tokens * h);
        }
        layerNorm.backward(compute, saved.layerNorm(), dOut, tokens, dOut);
        float[] gw = word.gradForBackward();
        float[] gp = position.gradForBackward();
        float[] gt = tokenType.gradForBackward();
        int pad = config.padTokenId();
        for (int s = 0; s < batch.size(); s++) {
            int start = batch.sequenceStarts()[s];
            for (int i = 0; i < batch.sequenceLengths()[s]; i++) {
                int row = (start + i) * h;
                int id = batch.ids()[start + i];
                int type = batch.typeIds()[start + i] * h;
                int pos = i * h;
                for (int j = 0; j < h; j++) {
                    float g = dOut[row + j];
                    if (id != pad) {
                        gw[id * h + j] += g;
                    }
                    gt[type + j] += g;
                    gp[pos + j] += g;
                }
            }
        }
    }
}
