package org.bert4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.training.bert.TrainableBert;
import org.junit.jupiter.api.Test;

/**
 * AdamW and clipping against torch.optim.AdamW and clip_grad_norm_ (scripts/torch: lr 1e-3, betas (0.9, 0.999),
 * eps 1e-8, weight decay 0.01 on every weight but biases and LayerNorms, as Hugging Face's Trainer groups them), on
 * the tiny BERT's joint scenario. From torch's own gradients the update is the same formula: every weight to 1e-6
 * relative (float storage rounds to 6e-8). From bert4j's gradients, one and two steps: every tensor to 1e-6 relative
 * in norm, the gradients' ~1e-6 relative difference being scaled by the learning rate.
 */
class OptimizerOracleTest {

    private static final double LR = 1e-3;

    /** The backbone's tensors and the joint scenario's two heads, as the torch script's optimiser holds them. */
    private static List<Parameter> parameters(TrainableBert bert, TorchFixture fixture) throws IOException {
        List<Parameter> all = new ArrayList<>(bert.allTensors());
        for (String head : new String[] {"mean_classifier", "token_classifier"}) {
            float[] w = fixture.f32("heads.safetensors", head + ".weight");
            float[] b = fixture.f32("heads.safetensors", head + ".bias");
            all.add(new Parameter(head + ".weight", new int[] {b.length, w.length / b.length}, w, true));
            all.add(new Parameter(head + ".bias", new int[] {b.length}, b, false));
        }
        return all;
    }

    @Test
    void oneStepFromTorchsGradientsGivesTorchsWeights() throws IOException {
        try (TorchFixture fixture = new TorchFixture("tiny");
             SafetensorsFile weights = SafetensorsFile.open(fixture.dir.resolve("model.safetensors"))) {
            for (boolean clipped : new boolean[] {false, true}) {
                TrainableBert bert = TrainableBert.load(new Checkpoint(weights),
                        BertConfig.read(fixture.dir.resolve("config.json")), Integer.MAX_VALUE);
                List<Parameter> parameters = parameters(bert, fixture);
                for (Parameter p : parameters) {
                    double[] g = fixture.f64("expected.safetensors", "grad.joint." + p.name());
                    if (g != null) {
                        setGradient(p, g);
                    }
                }
                if (clipped) {
                    double norm = GradientClipping.clipByGlobalNorm(parameters, 1.0);
                    double expected = fixture.f64("adamw.safetensors", "clipped.total_norm")[0];
                    // The float64 gradients were rounded to float32, each by at most 2⁻²⁴ relative: so is the norm.
                    assertEquals(expected, norm, 0x1p-24 * expected, "the norm before clipping");
                }
                new AdamW(parameters, 0.01).step(LR);
                compare(fixture, parameters, clipped ? "clipped.after." : "after.", false);
            }
        }
    }

    @Test
    void oneAndTwoStepsFromBert4jsGradientsGiveTorchsWeights() throws IOException {
        try (TorchFixture fixture = new TorchFixture("tiny");
             SafetensorsFile weights = SafetensorsFile.open(fixture.dir.resolve("model.safetensors"));
             ComputePool pool = ComputePool.create(2)) {
            BertConfig config = BertConfig.read(fixture.dir.resolve("config.json"));
            TrainableBert bert = TrainableBert.load(new Checkpoint(weights), config, Integer.MAX_VALUE);
            List<Parameter> parameters = parameters(bert, fixture);
            Map<String, float[]> heads = new HashMap<>();
            for (Parameter p : parameters) {
                if (p.name().contains("classifier")) {
                    heads.put(p.name(), p.value());
                }
            }
            Compute compute = new Compute(Kernels.vector(), Kernels.vector().matMul(), pool);
            TokenBatch batch = fixture.batch();
            AdamW optimizer = new AdamW(parameters, 0.01);
            for (int step = 1; step <= 2; step++) {
                for (Parameter p : parameters) {
                    p.zeroGrad();
                }
                Map<String, double[]> headGradients = new HashMap<>();
                double loss = ScenarioLoss.run(fixture, "joint", bert, compute, batch, headGradients, heads);
                if (step == 2) {
                    double expected = fixture.f64("adamw.safetensors", "two_steps.loss.joint.step2")[0];
                    assertEquals(expected, loss, 1e-5 * expected, "the loss after one step");
                }
                for (Parameter p : parameters) {
                    double[] g = headGradients.get(p.name());
                    if (g != null) {
                        setGradient(p, g);
                    }
                }
                optimizer.step(LR);
                compare(fixture, parameters, step == 1 ? "after." : "two_steps.after.", true);
            }
        }
    }

    /**
     * Every weight within 1e-6 of torch's, relative to max(|w|, 1e-3): the bound, away from zero. With
     * {@code ownGradients}, not the key biases: their exact gradient is 0 (see TorchOracleTest), ours is float32
     * rounding noise of ~1e-8 and torch's float64 noise of ~1e-17, and Adam divides by the gradient's own size: a
     * noise of 1e-8, next to ε = 1e-8, takes a step of about lr/2, as PyTorch in float32 would; torch in float64
     * does not. Those stay within one learning rate of torch's.
     */
    private static void compare(TorchFixture fixture, List<Parameter> parameters, String prefix, boolean ownGradients)
            throws IOException {
        int checked = 0;
        for (Parameter p : parameters) {
            if (ownGradients && p.name().endsWith("attention.self.key.bias")) {
                double[] expected = fixture.f64("adamw.safetensors", prefix + p.name());
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], p.value()[i], 2 * LR, prefix + p.name() + "[" + i + "]");
                }
                checked++;
                continue;
            }
            double[] expected = fixture.f64("adamw.safetensors", prefix + p.name());
            assertNotNull(expected, prefix + p.name());
            float[] actual = p.value();
            if (ownGradients) {
                // Tensor-wise, as the gradients are compared: an element whose gradient is tiny next to its tensor's
                // has a large relative gradient error, which Adam's per-element normalisation passes on.
                double diff = 0;
                double norm = 0;
                for (int i = 0; i < expected.length; i++) {
                    diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
                    norm += expected[i] * expected[i];
                }
                if (!(Math.sqrt(diff) <= 1e-6 * Math.sqrt(norm))) {
                    fail(prefix + p.name() + ": ‖w − w_torch‖ = " + Math.sqrt(diff) + " > 1e-6 · " + Math.sqrt(norm));
                }
            } else {
                for (int i = 0; i < expected.length; i++) {
                    double bound = 1e-6 * Math.max(Math.abs(expected[i]), 1e-3);
                    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                        fail(prefix + p.name() + "[" + i + "] = " + actual[i] + ", torch " + expected[i]);
                    }
                }
            }
            checked++;
        }
        assertEquals(parameters.size(), checked);
    }

    /** The oracle's float64 gradient, rounded into the parameter's float one. */
    private static void setGradient(Parameter p, double[] g) {
        float[] grad = p.gradForBackward();
        for (int i = 0; i < g.length; i++) {
            grad[i] = (float) g[i];
        }
    }
}
