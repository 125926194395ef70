package org.bert4j.engine;

import org.bert4j.folder.Pooling;

import java.util.Arrays;
import java.util.List;

/**
 * What a forward pass returns: the last layer's vector for every real token of a packed batch, and optionally every
 * layer's hidden states and the pooler output (Hugging Face's {@code BaseModelOutputWithPooling}).
 *
 * @param lastHidden       the packed [totalTokens × hidden] matrix, row-major; rows follow the {@link TokenBatch}
 * @param hidden           the width of one token vector
 * @param sequenceStarts   the first row of each sequence
 * @param sequenceLengths  the number of rows of each sequence
 * @param allHiddenStates  when asked for: the embeddings output then each layer's output (num_hidden_layers + 1
 *                         matrices shaped like {@code lastHidden}), else null
 * @param pooler           when the checkpoint has a pooler: [sequences × hidden], tanh(dense(h[CLS])), else null
 */
public record BertModelOutput(float[] lastHidden, int hidden, int[] sequenceStarts, int[] sequenceLengths,
                              List<float[]> allHiddenStates, float[] pooler) {

    /** The number of sequences. */
    public int size() {
        return sequenceStarts.length;
    }

    /** A copy of the last hidden state of token {@code tok} of sequence {@code seq}. */
    public float[] tokenVector(int seq, int tok) {
        if (tok < 0 || tok >= sequenceLengths[seq]) {
            throw new IndexOutOfBoundsException("token " + tok + " of sequence " + seq + " (length " + sequenceLengths[seq] + ")");
        }
        int row = sequenceStarts[seq] + tok;
        return Arrays.copyOfRange(lastHidden, row * hidden, (row + 1) * hidden);
    }

    /** A copy of one sequence's last hidden state, [length × hidden] row-major. */
    public float[] sequence(int seq) {
        return Arrays.copyOfRange(lastHidden, sequenceStarts[seq] * hidden,
                (sequenceStarts[seq] + sequenceLengths[seq]) * hidden);
    }

    /** A copy of one sequence's pooler output; the checkpoint must have a pooler. */
    public float[] poolerVector(int seq) {
        if (pooler == null) {
            throw new IllegalStateException("this model has no pooler (no pooler.dense tensors in the checkpoint)");
        }
        return Arrays.copyOfRange(pooler, seq * hidden, (seq + 1) * hidden);
    }

    /**
     * Sequence {@code seq}'s sentence vector, pooled as sentence-transformers' Pooling module does: the first
     * token's vector (CLS), the mean of its tokens' vectors (MEAN; a packed batch holds no padding, so the
     * mask-weighted mean of the seed is the mean over the sequence's rows), or their element-wise maximum (MAX).
     */
    public float[] pool(Pooling pooling, int seq) {
        int first = sequenceStarts[seq];
        int n = sequenceLengths[seq];
        float[] out = new float[hidden];
        switch (pooling) {
            case CLS -> System.arraycopy(lastHidden, first * hidden, out, 0, hidden);
            case MEAN -> {
                double[] sum = new double[hidden];
                for (int t = first; t < first + n; t++) {
                    for (int i = 0; i < hidden; i++) {
                        sum[i] += lastHidden[t * hidden + i];
                    }
                }
                for (int i = 0; i < hidden; i++) {
                    out[i] = (float) (sum[i] / n);
                }
            }
            case MAX -> {
                System.arraycopy(lastHidden, first * hidden, out, 0, hidden);
                for (int t = first + 1; t < first + n; t++) {
                    for (int i = 0; i < hidden; i++) {
                        out[i] = Math.max(out[i], lastHidden[t * hidden + i]);
                    }
                }
            }
        }
        return out;
    }
}
