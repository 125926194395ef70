package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a model folder (config.json + model.safetensors) of any BERT shape with seeded random weights: the
 * bert-base-shaped model of the benchmarks, and the small models of the tests.
 */
public final class RandomCheckpoint {

    private RandomCheckpoint() {
    }

    /**
     * Writes {@code dir/config.json} and {@code dir/model.safetensors}; weights are normal with standard deviation
     * {@code std}, LayerNorm γ near 1 and β near 0, so activations stay in a realistic range.
     */
    public static Path write(Path dir, BertConfig c, long seed, double std, boolean withPooler) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), c.toJson().toString(), StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(normal(random, "embeddings.word_embeddings.weight", std, 0, c.vocabSize(), h));
        tensors.add(normal(random, "embeddings.position_embeddings.weight", std, 0, c.maxPositionEmbeddings(), h));
        tensors.add(normal(random, "embeddings.token_type_embeddings.weight", std, 0, c.typeVocabSize(), h));
        layerNorm(random, tensors, "embeddings.LayerNorm", h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "encoder.layer." + i + ".";
            for (String proj : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense")) {
                linear(random, tensors, l + proj, h, h, std);
            }
            layerNorm(random, tensors, l + "attention.output.LayerNorm", h);
            linear(random, tensors, l + "intermediate.dense", inter, h, std);
            linear(random, tensors, l + "output.dense", h, inter, std);
            layerNorm(random, tensors, l + "output.LayerNorm", h);
        }
        if (withPooler) {
            linear(random, tensors, "pooler.dense", h, h, std);
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    private static void linear(SplittableRandom r, List<Tensor> out, String name, int rows, int cols, double std) {
        out.add(normal(r, name + ".weight", std, 0, rows, cols));
        out.add(normal(r, name + ".bias", std, 0, rows));
    }

    private static void layerNorm(SplittableRandom r, List<Tensor> out, String name, int width) {
        out.add(normal(r, name + ".weight", 0.1, 1, width));
        out.add(normal(r, name + ".bias", 0.1, 0, width));
    }

    private static Tensor normal(SplittableRandom r, String name, double std, double mean, int... shape) {
        long n = 1;
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            dims[i] = shape[i];
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * gaussian(r));
        }
        return Tensor.f32(name, dims, v);
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller: SplittableRandom has no nextGaussian of its own.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
