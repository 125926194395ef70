package org.bert4j.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny BERT (1 layer, hidden 4, 2 heads, intermediate 8, vocab 12) as ONNX the way torch.onnx lays it out —
 * HF-named initializers, {@code onnx::MatMul_N} weights [in, out] consumed by scope-named MatMul nodes, the
 * attention Reshape to [b, s, heads, head_dim], LayerNorm's eps before Sqrt, Erf for GELU — with knobs for the
 * storage variants real exports use. Only the structure matters: the converter never runs the graph.
 */
final class TinyBertOnnx {

    enum Storage { RAW_DATA, FLOAT_DATA_PACKED, FLOAT_DATA_UNPACKED, EXTERNAL }

    static final int HIDDEN = 4;
    static final int INTERMEDIATE = 8;
    static final int VOCAB = 12;
    static final int POSITIONS = 6;

    Storage storage = Storage.RAW_DATA;
    boolean weightsInConstantNodes;
    boolean headsReshape = true;
    boolean scopedNodeNames = true;
    String externalLocation = "weights.bin";
    /** The epsilon added to the variance before Sqrt (BERT's is 1e-12). */
    float layerNormEps = 1e-12f;
    /** MatMul weights of shape [2^40, 0]: no bytes, but more rows than an int counts (a hostile export). */
    boolean hugeEmptyMatMulWeights;

    /** The HF tensors the converter must produce, [out, in] for Linear weights. */
    final Map<String, float[]> expected = new LinkedHashMap<>();
    final Map<String, long[]> expectedShapes = new LinkedHashMap<>();

    private final Random random = new Random(7);
    private final ProtoWriter graph = new ProtoWriter();
    private final ByteBuffer external = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private int matMulCounter = 100;

    /** Writes {@code dir/model.onnx} (+ weights.bin when external) and {@code dir/tokenizer.json}. */
    Path write(Path dir) throws IOException {
        param("embeddings.word_embeddings.weight", VOCAB, HIDDEN);
        param("embeddings.position_embeddings.weight", POSITIONS, HIDDEN);
        param("embeddings.token_type_embeddings.weight", 2, HIDDEN);
        param("embeddings.LayerNorm.weight", HIDDEN);
        param("embeddings.LayerNorm.bias", HIDDEN);
        String x = "/embeddings/LayerNorm/Add_1_output_0";
        String p = "encoder.layer.0.";
        for (String qkv : List.of("query", "key", "value")) {
            x = linear(p + "attention.self." + qkv, HIDDEN, HIDDEN, "/embeddings/LayerNorm/Add_1_output_0");
        }
        if (headsReshape) {
            constantInts("/encoder/layer.0/attention/self/Constant_2_output_0", 2);
            constantInts("/encoder/layer.0/attention/self/Constant_3_output_0", 2);
            graph.message(1, ProtoWriter.node("/encoder/layer.0/attention/self/Concat", "Concat",
                    new String[] {"/b", "/s", "/encoder/layer.0/attention/self/Constant_2_output_0",
                        "/encoder/layer.0/attention/self/Constant_3_output_0"},
                    new String[] {"/encoder/layer.0/attention/self/Concat_output_0"}, ProtoWriter.intAttribute("axis", 0)));
            graph.message(1, ProtoWriter.node("/encoder/layer.0/attention/self/Reshape", "Reshape",
                    new String[] {x, "/encoder/layer.0/attention/self/Concat_output_0"}, new String[] {"/reshaped"}));
        }
        x = linear(p + "attention.output.dense", HIDDEN, HIDDEN, "/reshaped");
        param(p + "attention.output.LayerNorm.weight", HIDDEN);
        param(p + "attention.output.LayerNorm.bias", HIDDEN);
        x = linear(p + "intermediate.dense", INTERMEDIATE, HIDDEN, x);
        graph.message(1, ProtoWriter.node("/encoder/layer.0/intermediate/intermediate_act_fn/Erf", "Erf", new String[] {x},
                new String[] {"/erf"}));
        linear(p + "output.dense", HIDDEN, INTERMEDIATE, "/erf");
        param(p + "output.LayerNorm.weight", HIDDEN);
        param(p + "output.LayerNorm.bias", HIDDEN);
        // LayerNorm decomposed as torch.onnx writes it: ... Add(variance, eps) → Sqrt.
        graph.message(5, tensor("/eps", new long[0], new float[] {layerNormEps}));
        graph.message(1, ProtoWriter.node("/embeddings/LayerNorm/Add", "Add", new String[] {"/var", "/eps"}, new String[] {"/var_eps"}));
        graph.message(1, ProtoWriter.node("/embeddings/LayerNorm/Sqrt", "Sqrt", new String[] {"/var_eps"}, new String[] {"/std"}));
        graph.message(11, ProtoWriter.valueInfo("input_ids", 7));
        graph.message(12, ProtoWriter.valueInfo("last_hidden_state", 1));
        ProtoWriter model = new ProtoWriter().varint(1, 7).string(2, "tiny-test")
                .message(8, new ProtoWriter().string(1, "").varint(2, 14)).message(7, graph);
        Files.createDirectories(dir);
        Path file = dir.resolve("model.onnx");
        Files.write(file, model.toByteArray());
        if (storage == Storage.EXTERNAL) {
            Files.write(dir.resolve("weights.bin"), java.util.Arrays.copyOf(external.array(), external.position()));
        }
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        return file;
    }

    static String tokenizerJson() {
        StringBuilder vocab = new StringBuilder();
        String[] tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s", "."};
        for (int i = 0; i < tokens.length; i++) {
            vocab.append(i == 0 ? "" : ",").append('"').append(tokens[i]).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,"
                + "\"strip_accents\":null,\"lowercase\":true},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                + "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
                + "\"max_input_chars_per_word\":100,\"vocab\":{" + vocab + "}}}";
    }

    /** An HF-named parameter stored as an initializer under its own name. */
    private void param(String name, long... shape) {
        float[] v = values(shape);
        expected.put(name, v);
        expectedShapes.put(name, shape);
        store(name, shape, v);
    }

    /** nn.Linear(in → out): bias under its name, weight as onnx::MatMul_N [in, out], MatMul + Add nodes. */
    private String linear(String module, int out, int in, String input) {
        float[] w = values(out, in);
        expected.put(module + ".weight", w);
        expectedShapes.put(module + ".weight", new long[] {out, in});
        float[] transposed = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = w[o * in + i];
            }
        }
        String weightName = "onnx::MatMul_" + (matMulCounter++);
        if (hugeEmptyMatMulWeights) {
            store(weightName, new long[] {1L << 40, 0}, new float[0]);
        } else {
            store(weightName, new long[] {in, out}, transposed);
        }
        param(module + ".bias", out);
        String scope = "/" + module.replace('.', '/').replaceAll("layer/(\\d+)", "layer.$1");
        String product = scope + "/MatMul_output_0";
        graph.message(1, ProtoWriter.node(scopedNodeNames ? scope + "/MatMul" : "MatMul_" + matMulCounter, "MatMul",
                new String[] {input, weightName}, new String[] {product}));
        String sum = scope + "/Add_output_0";
        graph.message(1, ProtoWriter.node(scopedNodeNames ? scope + "/Add" : "Add_" + matMulCounter, "Add",
                new String[] {module + ".bias", product}, new String[] {sum}));
        return sum;
    }

    private void store(String name, long[] shape, float[] v) {
        ProtoWriter t = tensor(name, shape, v);
        if (weightsInConstantNodes && !name.endsWith(".bias") && !name.contains("LayerNorm")) {
            graph.message(1, ProtoWriter.node("Constant_" + name, "Constant", new String[0], new String[] {name},
                    ProtoWriter.tensorAttribute("value", t)));
        } else {
            graph.message(5, t);
        }
    }

    private ProtoWriter tensor(String name, long[] shape, float[] v) {
        ProtoWriter t = new ProtoWriter();
        for (long d : shape) {
            t.varint(1, d);
        }
        t.varint(2, 1).string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            raw.putFloat(f);
        }
        switch (storage) {
            case RAW_DATA -> t.bytes(9, raw.array());
            case FLOAT_DATA_PACKED -> t.packedFloats(4, v);
            case FLOAT_DATA_UNPACKED -> {
                for (float f : v) {
                    t.fixed32(4, f);
                }
            }
            case EXTERNAL -> {
                if (v.length <= 1) {
                    t.bytes(9, raw.array()); // exporters keep tiny tensors inline
                } else {
                    int offset = external.position();
                    external.put(raw.array());
                    t.message(13, new ProtoWriter().string(1, "location").string(2, externalLocation));
                    t.message(13, new ProtoWriter().string(1, "offset").string(2, Integer.toString(offset)));
                    t.message(13, new ProtoWriter().string(1, "length").string(2, Integer.toString(v.length * 4)));
                    t.varint(14, 1);
                }
            }
        }
        return t;
    }

    private void constantInts(String output, long value) {
        ProtoWriter t = new ProtoWriter().varint(1, 1).varint(2, 7).packedVarints(7, value);
        graph.message(1, ProtoWriter.node(output.replace("_output_0", ""), "Constant", new String[0], new String[] {output},
                ProtoWriter.tensorAttribute("value", t)));
    }

    private float[] values(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
