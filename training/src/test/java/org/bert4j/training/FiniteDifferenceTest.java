package org.bert4j.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.training.bert.TrainableBert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every trained tensor's gradient against central finite differences of the loss, in training mode: what the
 * PyTorch fixtures (made with dropout off) do not cover, dropout's backward (masks drawn again from their seed) and
 * a backward that stops at the lowest unfrozen layer.
 *
 * <p>The loss is L = Σ rᵢ·hᵢ + Σ r'ⱼ·pⱼ (fixed random weights on the last hidden state and the pooler output),
 * summed in double from the model's float outputs, on the scalar kernels (their sums are in double). At 4
 * coordinates of each tensor, g ≈ (L(w + δ) − L(w − δ)) / 2δ with δ = 1e-2·rms(tensor), then per tensor
 * ‖g_fd − g‖ over those coordinates, held to 1e-2·‖g‖ (the truncation error, O(δ²) times the third derivative, is
 * ~1e-4 relative; 1e-2 leaves room for curvature without letting a wrong gradient, an error of order 1, pass) plus
 * the noise of the difference: the float outputs round each term of L by a few u, 1e-6·Σ|r·h| at most, divided by
 * 2δ. That noise is what a tensor whose exact gradient is 0 (the key biases) shows. (The float64 reference the
 * fixtures came from was itself checked by torch's gradcheck.)
 */
class FiniteDifferenceTest {

    @ParameterizedTest(name = "trained layers: {0}")
    @ValueSource(ints = {Integer.MAX_VALUE, 1})
    void everyTrainedTensorMatchesFiniteDifferences(int trainedLayers) throws IOException {
        try (TorchFixture fixture = new TorchFixture("tiny");
             SafetensorsFile weights = SafetensorsFile.open(fixture.dir.resolve("model.safetensors"));
             ComputePool pool = ComputePool.create(1)) {
            BertConfig config = BertConfig.read(fixture.dir.resolve("config.json"));
            TrainableBert bert = TrainableBert.load(new Checkpoint(weights), config, trainedLayers);
            Compute compute = new Compute(Kernels.scalar(), Kernels.scalar().matMul(), pool);
            TokenBatch batch = fixture.batch();
            int h = config.hiddenSize();
            SplittableRandom random = new SplittableRandom(5);
            double[] r = new double[batch.totalTokens() * h];
            double[] rPooled = new double[batch.size() * h];
            for (int i = 0; i < r.length; i++) {
                r[i] = random.nextDouble() * 2 - 1;
            }
            for (int i = 0; i < rPooled.length; i++) {
                rPooled[i] = random.nextDouble() * 2 - 1;
            }
            long seed = 12345;   // dropout on, the same masks every time
            TrainableBert.Pass pass = bert.forward(compute, batch, seed, true);
            double magnitude = 0;
            for (int i = 0; i < r.length; i++) {
                magnitude += Math.abs(r[i] * pass.lastHidden[i]);
            }
            for (int i = 0; i < rPooled.length; i++) {
                magnitude += Math.abs(rPooled[i] * pass.pooled[i]);
            }
            float[] dLast = new float[r.length];
            float[] dPooled = new float[rPooled.length];
            for (int i = 0; i < r.length; i++) {
                dLast[i] = (float) r[i];
            }
            for (int i = 0; i < rPooled.length; i++) {
                dPooled[i] = (float) rPooled[i];
            }
            bert.backward(compute, pass, dLast, dPooled);

            List<String> report = new ArrayList<>();
            for (Parameter p : bert.parameters()) {
                float[] w = p.value();
                double rms = 0;
                for (float v : w) {
                    rms += (double) v * v;
                }
                rms = Math.sqrt(rms / w.length);
                double diff = 0;
                double norm = 0;
                double noise = 0;
                for (int sample = 0; sample < 4; sample++) {
                    int i = random.nextInt(w.length);
                    if (p.name().equals("embeddings.word_embeddings.weight")
                            || p.name().equals("embeddings.position_embeddings.weight")) {
                        i = usedRow(p, batch, random) * h + random.nextInt(h);
                    }
                    float original = w[i];
                    float delta = (float) (1e-2 * Math.max(rms, 1e-2));
                    w[i] = original + delta;
                    double plus = loss(bert, compute, batch, seed, r, rPooled);
                    w[i] = original - delta;
                    double minus = loss(bert, compute, batch, seed, r, rPooled);
                    w[i] = original;
                    // The perturbation as the float weights actually held it.
                    double step = ((double) (original + delta) - (double) (original - delta));
                    double fd = (plus - minus) / step;
                    noise += Math.pow(1e-6 * magnitude / step, 2);
                    double analytic = p.grad()[i];
                    diff += (fd - analytic) * (fd - analytic);
                    norm += analytic * analytic;
                }
                double relative = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
                report.add(String.format("%s %.1e", p.name().replace("encoder.layer.", "L"), relative));
                assertTrue(Math.sqrt(diff) <= 1e-2 * Math.sqrt(norm) + Math.sqrt(noise), p.name()
                        + ": finite differences differ from the gradient by " + Math.sqrt(diff) + " (norm "
                        + Math.sqrt(norm) + ", noise " + Math.sqrt(noise) + ")");
            }
            System.out.println("finite differences, trained layers " + trainedLayers + ": " + report);
        }
    }

    /** A row of the word (or position) table the batch reads: the others' gradients are 0 by construction. */
    private static int usedRow(Parameter p, TokenBatch batch, SplittableRandom random) {
        int token = random.nextInt(batch.totalTokens());
        if (p.name().contains("word")) {
            return batch.ids()[token];
        }
        int s = 0;
        while (s + 1 < batch.size() && batch.sequenceStarts()[s + 1] <= token) {
            s++;
        }
        return token - batch.sequenceStarts()[s];
    }

    private static double loss(TrainableBert bert, Compute compute, TokenBatch batch, long seed, double[] r,
                               double[] rPooled) {
        TrainableBert.Pass pass = bert.forward(compute, batch, seed, false);
        double loss = 0;
        for (int i = 0; i < r.length; i++) {
            loss += r[i] * pass.lastHidden[i];
        }
        for (int i = 0; i < rPooled.length; i++) {
            loss += rPooled[i] * pass.pooled[i];
        }
        return loss;
    }
}
