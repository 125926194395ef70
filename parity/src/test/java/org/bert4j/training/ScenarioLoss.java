package org.bert4j.training;

import java.io.IOException;
import java.util.Map;
import org.bert4j.engine.TokenBatch;
import org.bert4j.training.bert.TrainableBert;

/**
 * The oracle's scenarios on the Java side (scripts/torch/README.md): a pooling (mean, cls, max, the pooler) and a
 * linear classifier with mean cross-entropy, or the token classifier over the non-ignored tokens, or both summed;
 * computed in double, their gradients sent back through the backbone.
 */
final class ScenarioLoss {
    private ScenarioLoss() {}

    /** Runs forward and backward; returns the loss and puts the heads' gradients in {@code gradients}. */
    static double run(TorchFixture fixture, String scenario, TrainableBert bert, Compute compute, TokenBatch batch,
                      Map<String, double[]> gradients) throws IOException {
        return run(fixture, scenario, bert, compute, batch, gradients, null);
    }

    /** {@link #run}, with the heads' current weights from {@code heads} (name → values) instead of the fixture's. */
    static double run(TorchFixture fixture, String scenario, TrainableBert bert, Compute compute, TokenBatch batch,
                      Map<String, double[]> gradients, Map<String, float[]> heads) throws IOException {
        int h = bert.config().hiddenSize();
        TrainableBert.Pass pass = bert.forward(compute, batch, null, true);
        float[] dLast = new float[batch.totalTokens() * h];
        float[] dPooled = null;
        double loss = 0;
        int[] labels = fixture.labels();
        if (scenario.equals("joint") || scenario.equals("mean") || scenario.equals("cls") || scenario.equals("max")) {
            String pooling = scenario.equals("joint") ? "mean" : scenario;
            double[][] pooled = new double[batch.size()][h];
            int[][] argmax = new int[batch.size()][h];
            for (int s = 0; s < batch.size(); s++) {
                int start = batch.sequenceStarts()[s];
                int n = batch.sequenceLengths()[s];
                for (int j = 0; j < h; j++) {
                    switch (pooling) {
                        case "mean" -> {
                            double sum = 0;
                            for (int t = 0; t < n; t++) {
                                sum += pass.lastHidden[(start + t) * h + j];
                            }
                            pooled[s][j] = sum / n;
                        }
                        case "cls" -> pooled[s][j] = pass.lastHidden[start * h + j];
                        default -> {
                            int best = 0;
                            for (int t = 1; t < n; t++) {
                                if (pass.lastHidden[(start + t) * h + j] > pass.lastHidden[(start + best) * h + j]) {
                                    best = t;
                                }
                            }
                            argmax[s][j] = best;
                            pooled[s][j] = pass.lastHidden[(start + best) * h + j];
                        }
                    }
                }
            }
            String head = pooling + "_classifier";
            double[][] dPool = new double[batch.size()][h];
            loss += classify(fixture, head, pooled, labels, dPool, gradients, heads);
            for (int s = 0; s < batch.size(); s++) {
                int start = batch.sequenceStarts()[s];
                int n = batch.sequenceLengths()[s];
                for (int j = 0; j < h; j++) {
                    switch (pooling) {
                        case "mean" -> {
                            for (int t = 0; t < n; t++) {
                                dLast[(start + t) * h + j] += (float) (dPool[s][j] / n);
                            }
                        }
                        case "cls" -> dLast[start * h + j] += (float) dPool[s][j];
                        default -> dLast[(start + argmax[s][j]) * h + j] += (float) dPool[s][j];
                    }
                }
            }
        }
        if (scenario.equals("pooler")) {
            double[][] pooled = new double[batch.size()][h];
            for (int s = 0; s < batch.size(); s++) {
                for (int j = 0; j < h; j++) {
                    pooled[s][j] = pass.pooled[s * h + j];
                }
            }
            double[][] dPool = new double[batch.size()][h];
            loss += classify(fixture, "pooler_classifier", pooled, labels, dPool, gradients, heads);
            dPooled = new float[batch.size() * h];
            for (int s = 0; s < batch.size(); s++) {
                for (int j = 0; j < h; j++) {
                    dPooled[s * h + j] = (float) dPool[s][j];
                }
            }
        }
        if (scenario.equals("ner") || scenario.equals("joint")) {
            int[] tags = fixture.tokenLabels(batch);
            int tokens = batch.totalTokens();
            double[][] states = new double[tokens][h];
            for (int t = 0; t < tokens; t++) {
                for (int j = 0; j < h; j++) {
                    states[t][j] = pass.lastHidden[t * h + j];
                }
            }
            double[][] dStates = new double[tokens][h];
            loss += classify(fixture, "token_classifier", states, tags, dStates, gradients, heads);
            for (int t = 0; t < tokens; t++) {
                for (int j = 0; j < h; j++) {
                    dLast[t * h + j] += (float) dStates[t][j];
                }
            }
        }
        bert.backward(compute, pass, dLast, dPooled);
        return loss;
    }

    /**
     * Mean cross-entropy of a linear classifier over the rows whose target is not −100, in double; dInputs gets
     * dLoss/dx per row, {@code gradients} the head's weight and bias gradients.
     */
    private static double classify(TorchFixture fixture, String head, double[][] x, int[] targets, double[][] dInputs,
                                   Map<String, double[]> gradients, Map<String, float[]> heads) throws IOException {
        float[] w = heads != null ? heads.get(head + ".weight") : fixture.f32("heads.safetensors", head + ".weight");
        float[] b = heads != null ? heads.get(head + ".bias") : fixture.f32("heads.safetensors", head + ".bias");
        int classes = b.length;
        int width = x[0].length;
        double[] dw = new double[classes * width];
        double[] db = new double[classes];
        int count = 0;
        for (int target : targets) {
            count += target == -100 ? 0 : 1;
        }
        double loss = 0;
        for (int r = 0; r < x.length; r++) {
            if (targets[r] == -100) {
                continue;
            }
            double[] logits = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double z = b[c];
                for (int j = 0; j < width; j++) {
                    z += (double) w[c * width + j] * x[r][j];
                }
                logits[c] = z;
                max = Math.max(max, z);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[c] - max);
            }
            loss += -(logits[targets[r]] - max - Math.log(sum)) / count;
            for (int c = 0; c < classes; c++) {
                double d = (Math.exp(logits[c] - max) / sum - (c == targets[r] ? 1 : 0)) / count;
                db[c] += d;
                for (int j = 0; j < width; j++) {
                    dw[c * width + j] += d * x[r][j];
                    dInputs[r][j] += d * w[c * width + j];
                }
            }
        }
        gradients.put(head + ".weight", dw);
        gradients.put(head + ".bias", db);
        return loss;
    }

    /** A float gradient widened, to compare with the oracle's doubles. */
    static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
