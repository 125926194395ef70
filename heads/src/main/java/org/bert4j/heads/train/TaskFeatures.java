package org.bert4j.heads.train;

/**
 * A head's inputs and targets for a list of examples: example e contributes {@code targets[e].length} rows of
 * {@code width} values (one pooled vector for a classification head; one vector per labelled token for a
 * token-classification head, the ignored sub-tokens and special tokens left out since they add nothing).
 */
public record TaskFeatures(int width, float[][] inputs, int[][] targets) {
    public TaskFeatures {
        if (inputs.length != targets.length) {
            throw new IllegalArgumentException(inputs.length + " input blocks but " + targets.length + " target blocks");
        }
        for (int e = 0; e < inputs.length; e++) {
            if (inputs[e].length != targets[e].length * width) {
                throw new IllegalArgumentException("example " + e + ": " + inputs[e].length + " values for "
                        + targets[e].length + " rows of " + width);
            }
        }
    }

    /** The number of examples. */
    public int size() {
        return inputs.length;
    }

    /** The total number of rows. */
    public int rows() {
        int rows = 0;
        for (int[] t : targets) {
            rows += t.length;
        }
        return rows;
    }
}
