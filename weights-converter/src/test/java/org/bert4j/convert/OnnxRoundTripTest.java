package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bert4j.folder.Pooling;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bert4j.convert.onnx.OnnxDataType;
import org.bert4j.convert.onnx.OnnxModel;
import org.bert4j.convert.onnx.OnnxNode;
import org.bert4j.convert.onnx.OnnxTensor;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled F32 models converted by this build (through {@link BundledModels}, into a fresh temporary cache) and
 * checked against onnxruntime:
 * <ol>
 *   <li>bytes: every tensor of model.safetensors equals, bit for bit, the initializer onnxruntime reads from the
 *       same ONNX bytes (transposed for the {@code onnx::MatMul_N} weights) — this catches any mistake of our
 *       protobuf reader (wrong field, raw_data vs float_data, offsets) because onnxruntime parses independently;</li>
 *   <li>names and orientation: for the first and last layer, onnxruntime's own product {@code x·Wᵀ} of each Linear
 *       equals the product computed from our weight under its HF name — a swapped query/key or a missing transpose
 *       would be off by O(1);</li>
 *   <li>config.json has the true dimensions; vocab.txt lists tokenizer.json's vocabulary in id order; the pooling
 *       files say what the model's sentence-transformers configuration says.</li>
 * </ol>
 */
class OnnxRoundTripTest {
    /**
     * Converted afresh by this build into a temporary cache, so every run exercises the conversion itself (the shared
     * build cache, target/model-cache, is keyed by the converter's code and converts again only when that changed).
     */
    @TempDir
    static Path freshCache;


    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("all-MiniLM-L6-v2", "all-minilm-l6-v2", 6, 1536, Pooling.MEAN),
                Arguments.of("bge-small-en-v1.5", "bge-small-en-v1.5", 12, 1536, Pooling.CLS),
                Arguments.of("e5-small-v2", "e5-small-v2", 12, 1536, Pooling.MEAN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void convertedWeightsEqualWhatOnnxruntimeReadsAndComputes(String name, String resource, int layers, int intermediate,
                                                              Pooling pooling) throws Exception {
        Path dir = BundledModels.ensure(name, freshCache);   // this build's converter, not a cached folder
        byte[] onnx = TestModels.resource(resource + ".onnx");

        OnnxOracle oracle = new OnnxOracle();
        List<OnnxTensor> initializers;
        Map<String, OnnxNode> matMulByName = new java.util.HashMap<>();
        try (OnnxModel model = OnnxModel.read(resource, onnx)) {
            initializers = new ArrayList<>(model.graph().initializers().values());
            for (OnnxNode n : model.graph().nodes()) {
                if (n.opType().equals("MatMul")) {
                    matMulByName.put(n.name(), n);
                }
            }
            for (OnnxTensor t : initializers) {
                oracle.initializer(t.name(), t.dataType().code());
            }
        }
        List<LinearProbe> probes = new ArrayList<>(LinearProbe.ofLayer(0));
        probes.addAll(LinearProbe.ofLayer(layers - 1));
        for (LinearProbe p : probes) {
            oracle.value(p.input(), OnnxDataType.FLOAT.code()).value(p.output(), OnnxDataType.FLOAT.code());
        }
        Map<String, OnnxOracle.Value> ort = oracle.run(onnx, TestModels.IDS);

        Set<String> accountedFor = new HashSet<>();
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            for (TensorInfo info : st.tensors()) {
                assertEquals(DType.F32, info.dtype(), info.name());
                byte[] ours = st.segment(info.name()).toArray(ValueLayout.JAVA_BYTE);
                OnnxOracle.Value same = ort.get(info.name());
                if (same != null) {
                    assertArrayEquals(same.shape(), info.shape(), info.name());
                    assertArrayEquals(same.bytes(), ours, info.name() + " differs from the ONNX initializer");
                    accountedFor.add(info.name());
                    continue;
                }
                String module = info.name().substring(0, info.name().length() - ".weight".length());
                OnnxNode matMul = matMulByName.get("/" + module.replace('.', '/').replaceAll("layer/(\\d+)", "layer.$1") + "/MatMul");
                assertNotNull(matMul, info.name() + " is neither an initializer nor the weight of a MatMul with that scope");
                OnnxOracle.Value w = ort.get(matMul.input(1));
                assertArrayEquals(new long[] {w.shape()[1], w.shape()[0]}, info.shape(), info.name());
                assertArrayEquals(transpose4(w.bytes(), (int) w.shape()[0], (int) w.shape()[1]), ours,
                        info.name() + " differs from the transposed " + matMul.input(1));
                accountedFor.add(matMul.input(1));
            }
            for (OnnxTensor t : initializers) {
                if (t.dataType() == OnnxDataType.FLOAT) {
                    assertTrue(accountedFor.contains(t.name()), "initializer " + t.name() + " is missing from model.safetensors");
                }
            }
            for (LinearProbe p : probes) {
                float[] x = ort.get(p.input()).floats();
                float[] y = ort.get(p.output()).floats();
                TensorInfo w = st.info(p.hfModule() + ".weight");
                float[] weight = st.readFloats(w.name());
                double err = LinearProbe.maxError(x, weight, y, (int) w.dim(0), (int) w.dim(1));
                assertTrue(err <= 2e-4 * (1 + LinearProbe.maxAbs(y)), p.hfModule() + ": x·Wᵀ is off by " + err);
            }
            // Negative control: the same check with the key weight in place of the query weight must fail.
            LinearProbe query = probes.getFirst();
            float[] key = st.readFloats(query.hfModule().replace("query", "key") + ".weight");
            double wrong = LinearProbe.maxError(ort.get(query.input()).floats(), key, ort.get(query.output()).floats(), 384, 384);
            assertTrue(wrong > 0.1, "the functional check must be able to tell query from key: " + wrong);
        }

        JsonObject config = TestModels.json(dir.resolve("config.json"));
        assertEquals(layers, config.get("num_hidden_layers").getAsInt());
        assertEquals(384, config.get("hidden_size").getAsInt());
        assertEquals(12, config.get("num_attention_heads").getAsInt());
        assertEquals(intermediate, config.get("intermediate_size").getAsInt());
        assertEquals(30522, config.get("vocab_size").getAsInt());
        assertEquals(512, config.get("max_position_embeddings").getAsInt());
        assertEquals(2, config.get("type_vocab_size").getAsInt());
        assertEquals(1e-12, config.get("layer_norm_eps").getAsDouble());
        assertEquals("gelu", config.get("hidden_act").getAsString());
        assertEquals(0, config.get("pad_token_id").getAsInt());
        assertEquals("bert", config.get("model_type").getAsString());

        JsonObject tokenizer = JsonParser.parseString(new String(TestModels.resource(resource + "-tokenizer.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> vocab = Files.readAllLines(dir.resolve("vocab.txt"), StandardCharsets.UTF_8);
        JsonObject ids = tokenizer.getAsJsonObject("model").getAsJsonObject("vocab");
        assertEquals(ids.size(), vocab.size());
        for (Map.Entry<String, JsonElement> e : ids.entrySet()) {
            assertEquals(e.getKey(), vocab.get(e.getValue().getAsInt()));
        }
        assertArrayEquals(TestModels.resource(resource + "-tokenizer.json"), Files.readAllBytes(dir.resolve("tokenizer.json")));
        JsonObject tokenizerConfig = TestModels.json(dir.resolve("tokenizer_config.json"));
        assertTrue(tokenizerConfig.get("do_lower_case").getAsBoolean());
        assertEquals(512, tokenizerConfig.get("model_max_length").getAsInt());

        JsonObject poolingConfig = TestModels.json(dir.resolve("1_Pooling/config.json"));
        assertEquals(pooling == Pooling.CLS, poolingConfig.get("pooling_mode_cls_token").getAsBoolean());
        assertEquals(pooling == Pooling.MEAN, poolingConfig.get("pooling_mode_mean_tokens").getAsBoolean());
        assertEquals(384, poolingConfig.get("word_embedding_dimension").getAsInt());
        assertTrue(Files.readString(dir.resolve("modules.json")).contains("sentence_transformers.models.Normalize"));
        assertTrue(Files.isDirectory(dir.resolve("2_Normalize")));
    }

    /** [rows, cols] of 4-byte elements → [cols, rows]. */
    static byte[] transpose4(byte[] src, int rows, int cols) {
        byte[] out = new byte[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                System.arraycopy(src, (r * cols + c) * 4, out, (c * rows + r) * 4, 4);
            }
        }
        return out;
    }
}
