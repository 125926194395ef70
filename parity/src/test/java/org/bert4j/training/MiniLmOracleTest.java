package org.bert4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.kernels.Backends;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.training.bert.TrainableBert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backward pass through the real all-MiniLM-L6-v2 (6 layers, 384 wide) against PyTorch (scripts/torch, float64
 * from the same float32 weights), on the oracle's four texts with its mean-pooling classifier and NER head: the
 * loss to 1e-5 relative, and for every parameter its gradient's norm and two fixed slices of 32 values to 1e-4
 * relative (of the norm; of the slice's norm).
 */
class MiniLmOracleTest {

    /** The converted folder's weights must be the ones the fixture was made from. */
    private static final String SHA256 = "25a33b294999ab7bec8b1cd5b5bf82c08b071a53bce8d1d4c8b969355d2afe61";

    @ParameterizedTest(name = "{0}")
    // Every vector width whatever this machine has: on MiniLM the element-wise loops are long enough to be cut
    // between threads, so each kernel also runs on ranges that start mid-array.
    @ValueSource(strings = {"vector java", "vector openblas", "scalar java", "vector-128 java", "vector-256 java",
            "vector-512 java"})
    void lossGradientNormsAndSlicesMatchPyTorch(String compute) throws Exception {
        Path folder = BundledModels.defaultModel();
        assertEquals(SHA256, sha256(folder.resolve("model.safetensors")), "the MiniLM weights the fixture was made from");
        String[] c = compute.split(" ");
        Kernels kernels = Kernels.named(c[0]);
        try (TorchFixture fixture = new TorchFixture("minilm");
             SafetensorsFile weights = SafetensorsFile.open(folder.resolve("model.safetensors"));
             ComputePool pool = ComputePool.create(2)) {
            BertConfig config = BertConfig.read(folder.resolve("config.json"));
            TrainableBert bert = TrainableBert.load(new Checkpoint(weights), config, Integer.MAX_VALUE);
            Compute training = new Compute(kernels, c[1].equals("openblas") ? Backends.openBlasMatMul()
                    : kernels.matMul(), pool);
            TokenBatch batch = fixture.batch();
            Map<String, double[]> gradients = new HashMap<>();
            double loss = ScenarioLoss.run(fixture, "joint", bert, training, batch, gradients);
            double expectedLoss = fixture.f64("expected.safetensors", "loss.joint")[0];
            assertEquals(expectedLoss, loss, 1e-5 * expectedLoss, "loss");
            for (Parameter p : bert.allTensors()) {
                if (p.hasGrad()) {
                    gradients.put(p.name(), ScenarioLoss.widen(p.grad()));
                }
            }
            double worst = 0;
            int checked = 0;
            for (var entry : gradients.entrySet()) {
                String name = entry.getKey();
                double[] g = entry.getValue();
                double[] norm = fixture.f64("expected.safetensors", "gradnorm." + name);
                assertNotNull(norm, "torch has no gradient for " + name);
                double ours = 0;
                for (double v : g) {
                    ours += v * v;
                }
                ours = Math.sqrt(ours);
                // The key biases' exact gradient is 0 (see TorchOracleTest): held to the key weights' scale.
                double scale = name.endsWith("attention.self.key.bias")
                        ? fixture.f64("expected.safetensors", "gradnorm." + name.replace(".bias", ".weight"))[0]
                        : norm[0];
                if (!(Math.abs(ours - norm[0]) <= 1e-4 * scale)) {
                    fail(name + ": ‖g‖ = " + ours + ", torch " + norm[0]);
                }
                for (String slice : new String[] {"head", "mid"}) {
                    double[] expected = fixture.f64("expected.safetensors", "gradslice." + slice + "." + name);
                    int from = slice.equals("head") ? 0 : g.length / 2;
                    double diff = 0;
                    double size = 0;
                    for (int i = 0; i < expected.length; i++) {
                        diff += (g[from + i] - expected[i]) * (g[from + i] - expected[i]);
                        size += expected[i] * expected[i];
                    }
                    double sliceScale = name.endsWith("attention.self.key.bias") ? scale : Math.sqrt(size);
                    if (!(Math.sqrt(diff) <= 1e-4 * sliceScale + 1e-30)) {
                        fail(name + " " + slice + " slice: ‖Δ‖ = " + Math.sqrt(diff) + " > 1e-4 · " + sliceScale);
                    }
                    if (!name.endsWith("key.bias") && size > 0) {
                        worst = Math.max(worst, Math.sqrt(diff / size));
                    }
                }
                checked++;
            }
            assertEquals(true, checked >= 100, checked + " tensors");
            System.out.printf("MiniLM oracle %s: loss %.6f vs %.6f, %d tensors, worst slice ‖Δ‖/‖g‖ %.2e%n", compute,
                    loss, expectedLoss, checked, worst);
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
