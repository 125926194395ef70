package org.bert4j.engine.reference;

import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * BERT's forward pass written to be read: one file, top to bottom, in the order of section 3 of the BERT paper
 * (Devlin et al. 2018) and of Hugging Face's {@code modeling_bert.py}.
 *
 * <p>Start here to learn how a BERT turns token ids into vectors. Everything is a plain loop over {@code float[]}:
 * no SIMD, no threads, no fused steps, no packed batches. Sums are accumulated in {@code double} so this path is
 * the yardstick the fast path ({@link org.bert4j.engine.BertModel}) is tested against. It reads the same model
 * folder (config.json + model.safetensors) as the fast path.
 *
 * <p>The input is a padded batch exactly as a Hugging Face tokenizer returns it: {@code input_ids},
 * {@code token_type_ids} and {@code attention_mask}, one row per sentence, all rows the same length.
 */
public final class ReferenceBert {

    /** What {@code BertModel.forward} returns in Hugging Face: the last layer's token vectors and the pooler output. */
    public record Output(float[][][] lastHiddenState, float[][] poolerOutput) { }

    private final BertConfig config;

    // BertEmbeddings
    private final float[] wordEmbeddings;        // [vocab_size × hidden]
    private final float[] positionEmbeddings;    // [max_position_embeddings × hidden]
    private final float[] tokenTypeEmbeddings;   // [type_vocab_size × hidden]
    private final float[] embeddingsNormWeight;
    private final float[] embeddingsNormBias;

    // BertEncoder: one entry per layer
    private final Layer[] layers;

    // BertPooler (absent in checkpoints exported without it, e.g. the sentence-transformers ONNX files)
    private final float[] poolerWeight;
    private final float[] poolerBias;

    /** The weights of one encoder layer (BertLayer), named after their Hugging Face tensors. */
    private record Layer(
            float[] queryWeight, float[] queryBias,                 // attention.self.query
            float[] keyWeight, float[] keyBias,                     // attention.self.key
            float[] valueWeight, float[] valueBias,                 // attention.self.value
            float[] attentionOutputWeight, float[] attentionOutputBias,   // attention.output.dense
            float[] attentionNormWeight, float[] attentionNormBias,       // attention.output.LayerNorm
            float[] intermediateWeight, float[] intermediateBias,         // intermediate.dense
            float[] outputWeight, float[] outputBias,                     // output.dense
            float[] outputNormWeight, float[] outputNormBias) { }         // output.LayerNorm

    private ReferenceBert(BertConfig config, float[] wordEmbeddings, float[] positionEmbeddings,
                          float[] tokenTypeEmbeddings, float[] embeddingsNormWeight, float[] embeddingsNormBias,
                          Layer[] layers, float[] poolerWeight, float[] poolerBias) {
        this.config = config;
        this.wordEmbeddings = wordEmbeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.tokenTypeEmbeddings = tokenTypeEmbeddings;
        this.embeddingsNormWeight = embeddingsNormWeight;
        this.embeddingsNormBias = embeddingsNormBias;
        this.layers = layers;
        this.poolerWeight = poolerWeight;
        this.poolerBias = poolerBias;
    }

    /** Reads {@code config.json} and {@code model.safetensors} from a Hugging Face model folder into plain arrays. */
    public static ReferenceBert load(Path modelDir) throws IOException {
        BertConfig c = BertConfig.read(modelDir.resolve("config.json"));
        try (SafetensorsFile file = SafetensorsFile.open(modelDir.resolve("model.safetensors"))) {
            // Checkpoints saved from a task model (BertForSequenceClassification, ...) put the backbone under "bert.".
            String p = file.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
            int h = c.hiddenSize();
            int inter = c.intermediateSize();
            Layer[] layers = new Layer[c.numHiddenLayers()];
            for (int i = 0; i < layers.length; i++) {
                String l = p + "encoder.layer." + i + ".";
                layers[i] = new Layer(
                        read(file, l + "attention.self.query.weight", h, h), read(file, l + "attention.self.query.bias", h),
                        read(file, l + "attention.self.key.weight", h, h), read(file, l + "attention.self.key.bias", h),
                        read(file, l + "attention.self.value.weight", h, h), read(file, l + "attention.self.value.bias", h),
                        read(file, l + "attention.output.dense.weight", h, h), read(file, l + "attention.output.dense.bias", h),
                        read(file, l + "attention.output.LayerNorm.weight", h), read(file, l + "attention.output.LayerNorm.bias", h),
                        read(file, l + "intermediate.dense.weight", inter, h), read(file, l + "intermediate.dense.bias", inter),
                        read(file, l + "output.dense.weight", h, inter), read(file, l + "output.dense.bias", h),
                        read(file, l + "output.LayerNorm.weight", h), read(file, l + "output.LayerNorm.bias", h));
            }
            boolean hasPooler = file.contains(p + "pooler.dense.weight");
            return new ReferenceBert(c,
                    read(file, p + "embeddings.word_embeddings.weight", c.vocabSize(), h),
                    read(file, p + "embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), h),
                    read(file, p + "embeddings.token_type_embeddings.weight", c.typeVocabSize(), h),
                    read(file, p + "embeddings.LayerNorm.weight", h),
                    read(file, p + "embeddings.LayerNorm.bias", h),
                    layers,
                    hasPooler ? read(file, p + "pooler.dense.weight", h, h) : null,
                    hasPooler ? read(file, p + "pooler.dense.bias", h) : null);
        }
    }

    /** The model's configuration. */
    public BertConfig config() {
        return config;
    }

    /** Whether the checkpoint has a pooler (so {@link Output#poolerOutput()} is not null). */
    public boolean hasPooler() {
        return poolerWeight != null;
    }

    /**
     * Runs the model on a padded batch: {@code inputIds[b][t]}, {@code tokenTypeIds[b][t]} (null means all zero)
     * and {@code attentionMask[b][t]} (1 = real token, 0 = padding; null means all real).
     */
    public Output forward(int[][] inputIds, int[][] tokenTypeIds, int[][] attentionMask) {
        int batch = inputIds.length;
        float[][][] lastHidden = new float[batch][][];
        float[][] pooled = hasPooler() ? new float[batch][] : null;
        // Every sentence is independent (attention never crosses rows of a batch), so one at a time is the same.
        for (int b = 0; b < batch; b++) {
            int seq = inputIds[b].length;
            int[] types = tokenTypeIds == null ? new int[seq] : tokenTypeIds[b];
            int[] mask = attentionMask == null ? filled(seq, 1) : attentionMask[b];
            if (types.length != seq || mask.length != seq) {
                throw new IllegalArgumentException("sentence " + b + ": input_ids, token_type_ids and attention_mask differ in length");
            }
            lastHidden[b] = forwardOne(inputIds[b], types, mask);
            if (pooled != null) {
                pooled[b] = pooler(lastHidden[b][0]);
            }
        }
        return new Output(lastHidden, pooled);
    }

    private float[][] forwardOne(int[] ids, int[] types, int[] mask) {
        float[][] hidden = embeddings(ids, types);
        for (Layer layer : layers) {
            hidden = layer(layer, hidden, mask);
        }
        return hidden;
    }

    // ---- 1. Embeddings (paper §3, "Input/Output Representations"; modeling_bert.py BertEmbeddings) ----

    /** The input of the first layer: word + position + token-type embedding of every token, then LayerNorm. */
    private float[][] embeddings(int[] ids, int[] types) {
        int h = config.hiddenSize();
        if (ids.length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence of " + ids.length + " tokens is longer than max_position_embeddings ("
                    + config.maxPositionEmbeddings() + ")");
        }
        float[][] out = new float[ids.length][h];
        for (int t = 0; t < ids.length; t++) {
            checkIndex("input id", ids[t], config.vocabSize());
            checkIndex("token type id", types[t], config.typeVocabSize());
            for (int i = 0; i < h; i++) {
                // Position ids are 0, 1, 2, ... as in HF's default "absolute" position_embedding_type.
                out[t][i] = wordEmbeddings[ids[t] * h + i]
                        + tokenTypeEmbeddings[types[t] * h + i]
                        + positionEmbeddings[t * h + i];
            }
            layerNorm(out[t], embeddingsNormWeight, embeddingsNormBias);
        }
        return out;
    }

    // ---- 2. One Transformer encoder layer (Vaswani et al. 2017 §3.1; modeling_bert.py BertLayer) ----

    private float[][] layer(Layer w, float[][] x, int[] mask) {
        // Multi-head self-attention, then "Add & Norm" (BertAttention = BertSelfAttention + BertSelfOutput).
        float[][] context = selfAttention(w, x, mask);
        float[][] attentionOut = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            float[] projected = linear(context[t], w.attentionOutputWeight(), w.attentionOutputBias());
            attentionOut[t] = addAndNorm(projected, x[t], w.attentionNormWeight(), w.attentionNormBias());
        }
        // Position-wise feed-forward network, then "Add & Norm" (BertIntermediate + BertModelOutput).
        float[][] out = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            float[] intermediate = linear(attentionOut[t], w.intermediateWeight(), w.intermediateBias());
            for (int i = 0; i < intermediate.length; i++) {
                intermediate[i] = activation(intermediate[i]);
            }
            float[] projected = linear(intermediate, w.outputWeight(), w.outputBias());
            out[t] = addAndNorm(projected, attentionOut[t], w.outputNormWeight(), w.outputNormBias());
        }
        return out;
    }

    /** Scaled dot-product attention, softmax(Q·Kᵀ/√d + mask)·V, in every head, heads concatenated (BertSelfAttention). */
    private float[][] selfAttention(Layer w, float[][] x, int[] mask) {
        int seq = x.length;
        int heads = config.numAttentionHeads();
        int d = config.headDim();
        float[][] q = new float[seq][];
        float[][] k = new float[seq][];
        float[][] v = new float[seq][];
        for (int t = 0; t < seq; t++) {
            q[t] = linear(x[t], w.queryWeight(), w.queryBias());
            k[t] = linear(x[t], w.keyWeight(), w.keyBias());
            v[t] = linear(x[t], w.valueWeight(), w.valueBias());
        }
        double scale = 1.0 / Math.sqrt(d);
        float[][] context = new float[seq][config.hiddenSize()];
        float[] scores = new float[seq];
        for (int head = 0; head < heads; head++) {
            int off = head * d;   // this head's slice of the hidden vector
            for (int i = 0; i < seq; i++) {
                for (int j = 0; j < seq; j++) {
                    double dot = 0;
                    for (int e = 0; e < d; e++) {
                        dot += (double) q[i][off + e] * k[j][off + e];
                    }
                    // The padding mask: HF adds the dtype's most negative value where attention_mask is 0,
                    // so padding gets zero weight after the softmax.
                    scores[j] = (float) (dot * scale) + (mask[j] == 0 ? -Float.MAX_VALUE : 0f);
                }
                softmax(scores);
                for (int e = 0; e < d; e++) {
                    double sum = 0;
                    for (int j = 0; j < seq; j++) {
                        sum += (double) scores[j] * v[j][off + e];
                    }
                    context[i][off + e] = (float) sum;
                }
            }
        }
        return context;
    }

    // ---- 3. Pooler (paper §3 "[CLS]"; modeling_bert.py BertPooler) ----

    /** tanh(W · h[CLS] + b): the sentence vector BERT's next-sentence-prediction head was trained on. */
    private float[] pooler(float[] cls) {
        float[] out = linear(cls, poolerWeight, poolerBias);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.tanh(out[i]);
        }
        return out;
    }

    // ---- The building blocks ----

    /** nn.Linear: y = W·x + b with W stored [out × in], the PyTorch layout. */
    private static float[] linear(float[] x, float[] weight, float[] bias) {
        int in = x.length;
        int out = bias.length;
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double sum = bias[o];
            for (int i = 0; i < in; i++) {
                sum += (double) weight[o * in + i] * x[i];
            }
            y[o] = (float) sum;
        }
        return y;
    }

    /** The residual connection and LayerNorm of "Add & Norm": LayerNorm(x + residual). */
    private float[] addAndNorm(float[] x, float[] residual, float[] weight, float[] bias) {
        float[] sum = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            sum[i] = x[i] + residual[i];
        }
        layerNorm(sum, weight, bias);
        return sum;
    }

    /** nn.LayerNorm over one vector, in place: (x − mean) / √(variance + ε) · γ + β, with the biased variance. */
    private void layerNorm(float[] x, float[] weight, float[] bias) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double variance = 0;
        for (float v : x) {
            variance += (v - mean) * (v - mean);
        }
        variance /= x.length;
        double inv = 1.0 / Math.sqrt(variance + config.layerNormEps());
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - mean) * inv * weight[i] + bias[i]);
        }
    }

    /** Softmax in place, subtracting the maximum first so exp never overflows. */
    private static void softmax(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (e[i] / sum);
        }
    }

    /** The feed-forward activation named by {@code hidden_act} (HF's ACT2FN). */
    private float activation(float x) {
        return switch (config.hiddenAct()) {
            // "gelu" is the exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), what the original BERT used.
            case "gelu" -> (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0))));
            // The tanh approximation of GELU (Hendrycks & Gimpel 2016), used by some checkpoints.
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" ->
                    (float) (0.5 * x * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x))));
            case "relu" -> Math.max(0f, x);
            default -> throw new IllegalStateException("hidden_act " + config.hiddenAct());
        };
    }

    /**
     * The error function to double precision (Java has none): its Taylor series near zero, and Laplace's continued
     * fraction for erfc in the tails, where the series would lose digits to cancellation.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a < 2.5) {
            // erf(x) = 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
            double term = a;      // (−1)ⁿ x^(2n+1) / n!
            double sum = a;
            for (int n = 1; n < 100; n++) {
                term *= -a * a / n;
                double next = term / (2 * n + 1);
                sum += next;
                if (Math.abs(next) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            result = 2.0 / Math.sqrt(Math.PI) * sum;
        } else if (a < 6.5) {
            // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated bottom-up.
            double f = a;
            for (int n = 80; n >= 1; n--) {
                f = a + (n / 2.0) / f;
            }
            result = 1.0 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        } else {
            result = 1.0;   // erfc(6.5) < 1e-19: below double precision
        }
        return x < 0 ? -result : result;
    }

    private static float[] read(SafetensorsFile file, String name, int... shape) throws IOException {
        long[] actual = file.info(name).shape();
        long[] expected = Arrays.stream(shape).asLongStream().toArray();
        if (!Arrays.equals(actual, expected)) {
            throw new IOException(file.path() + ": tensor " + name + " has shape " + Arrays.toString(actual)
                    + ", expected " + Arrays.toString(expected) + " from config.json");
        }
        return file.readFloats(name);
    }

    private static void checkIndex(String what, int value, int size) {
        if (value < 0 || value >= size) {
            throw new IllegalArgumentException(what + " " + value + " is outside [0, " + size + ")");
        }
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }
}
