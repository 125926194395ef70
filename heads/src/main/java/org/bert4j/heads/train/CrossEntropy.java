package org.bert4j.heads.train;

import org.bert4j.heads.ner.TokenLabels;

/**
 * Softmax cross-entropy over rows of logits, as PyTorch's {@code F.cross_entropy} with {@code weight} and
 * {@code ignore_index=-100}: rows whose target is {@link TokenLabels#IGNORE} are skipped and the loss is the
 * weighted mean Σ w[yᵢ]·(−log pᵢ[yᵢ]) / Σ w[yᵢ].
 */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    /**
     * The loss of {@code rows} rows of {@code classes} logits, writing dLoss/dlogits into {@code dLogits}
     * (zero on ignored rows). {@code classWeights} may be null (all 1). Returns 0 when every row is ignored.
     */
    public static double lossAndGradient(double[] logits, int rows, int classes, int[] targets,
                                         double[] classWeights, double[] dLogits) {
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            int target = targets[r];
            if (target == TokenLabels.IGNORE) {
                continue;
            }
            if (target < 0 || target >= classes) {
                throw new IllegalArgumentException("target " + target + " at row " + r + " is outside [0, " + classes + ")");
            }
            weightSum += classWeights == null ? 1 : classWeights[target];
        }
        java.util.Arrays.fill(dLogits, 0, rows * classes, 0);
        if (weightSum == 0) {
            return 0;
        }
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int target = targets[r];
            if (target == TokenLabels.IGNORE) {
                continue;
            }
            int row = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[row + c] - max);
            }
            double logSum = Math.log(sum) + max;
            double w = (classWeights == null ? 1 : classWeights[target]) / weightSum;
            loss += w * (logSum - logits[row + target]);
            for (int c = 0; c < classes; c++) {
                dLogits[row + c] = w * Math.exp(logits[row + c] - logSum);
            }
            dLogits[row + target] -= w;
        }
        return loss;
    }

    /** Softmax of each row of {@code logits} (numerically stable), as new arrays. */
    public static double[][] softmaxRows(double[] logits, int rows, int classes) {
        double[][] probabilities = new double[rows][classes];
        for (int r = 0; r < rows; r++) {
            int row = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                probabilities[r][c] = Math.exp(logits[row + c] - max);
                sum += probabilities[r][c];
            }
            for (int c = 0; c < classes; c++) {
                probabilities[r][c] /= sum;
            }
        }
        return probabilities;
    }
}
