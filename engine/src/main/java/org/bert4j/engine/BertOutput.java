package org.bert4j.engine;

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
public record BertOutput(float[] lastHidden, int hidden, int[] sequenceStarts, int[] sequenceLengths,
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
}
