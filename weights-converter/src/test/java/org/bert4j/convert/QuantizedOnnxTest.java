package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bert4j.convert.onnx.OnnxDataType;
import org.bert4j.convert.onnx.OnnxModel;
import org.bert4j.convert.onnx.OnnxTensor;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 export (onnxruntime dynamic quantization: uint8 embedding tables behind DequantizeLinear, int8
 * per-column MatMulInteger weights) dequantized to F32, checked against onnxruntime running that model:
 * <ul>
 *   <li>embedding rows: onnxruntime's DequantizeLinear output for the looked-up rows equals our table rows bit for
 *       bit (both compute float(q - zero_point) · scale);</li>
 *   <li>Linear layers: onnxruntime's quantized product {@code sx·sw·Σ(xq - zx)(wq - zw)} equals the F32 product of
 *       its own dequantized activation {@code (xq - zx)·sx} with our dequantized weight, up to float rounding
 *       (1e-5 relative) — wrong zero points, scales on the wrong axis or a missing transpose are off by far more;</li>
 *   <li>every F32 initializer (biases, LayerNorm) is copied bit for bit.</li>
 * </ul>
 */
class QuantizedOnnxTest {
    /**
     * Converted afresh by this build into a temporary cache, so every run exercises the conversion itself (the shared
     * build cache, target/model-cache, is keyed by the converter's code and converts again only when that changed).
     */
    @TempDir
    static Path freshCache;


    @Test
    void dequantizedWeightsReproduceOnnxruntimesInt8Arithmetic() throws Exception {
        Path dir = BundledModels.ensure("all-MiniLM-L6-v2-q", freshCache);   // this build's converter, not a cached folder
        byte[] onnx = TestModels.resource("all-minilm-l6-v2-q.onnx");
        OnnxOracle oracle = new OnnxOracle();
        List<String> floatInitializers = new ArrayList<>();
        try (OnnxModel model = OnnxModel.read("q", onnx)) {
            for (OnnxTensor t : model.graph().initializers().values()) {
                // HF-named parameters (biases, LayerNorm); the scales of quantized tensors are not parameters.
                if (t.dataType() == OnnxDataType.FLOAT && t.name().startsWith("e") && !t.name().endsWith("_scale")) {
                    floatInitializers.add(t.name());
                    oracle.initializer(t.name(), t.dataType().code());
                }
            }
        }
        for (String table : List.of("word", "position", "token_type")) {
            oracle.value("/embeddings/" + table + "_embeddings/Gather_output_0", OnnxDataType.FLOAT.code());
        }
        List<LinearProbe> probes = new ArrayList<>(LinearProbe.ofLayer(0));
        probes.addAll(LinearProbe.ofLayer(5));
        for (LinearProbe p : probes) {
            oracle.value(p.input() + "_quantized", OnnxDataType.UINT8.code())
                    .value(p.input() + "_scale", OnnxDataType.FLOAT.code())
                    .value(p.input() + "_zero_point", OnnxDataType.UINT8.code())
                    .value(p.output(), OnnxDataType.FLOAT.code());
        }
        Map<String, OnnxOracle.Value> ort = oracle.run(onnx, TestModels.IDS);

        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            for (TensorInfo t : st.tensors()) {
                assertEquals(DType.F32, t.dtype(), t.name());
            }
            assertEquals(6 * 16 + 5, st.tensors().size(), "all BertModel parameters, nothing else");
            for (String name : floatInitializers) {
                assertArrayEquals(ort.get(name).bytes(), st.segment(name).toArray(ValueLayout.JAVA_BYTE), name);
            }
            int n = TestModels.IDS.length;
            float[] word = st.readFloats("embeddings.word_embeddings.weight");
            float[] position = st.readFloats("embeddings.position_embeddings.weight");
            float[] tokenType = st.readFloats("embeddings.token_type_embeddings.weight");
            float[] wordRows = new float[n * 384];
            float[] positionRows = new float[n * 384];
            float[] typeRows = new float[n * 384];
            for (int i = 0; i < n; i++) {
                System.arraycopy(word, (int) TestModels.IDS[i] * 384, wordRows, i * 384, 384);
                System.arraycopy(position, i * 384, positionRows, i * 384, 384);
                System.arraycopy(tokenType, 0, typeRows, i * 384, 384);
            }
            assertArrayEquals(ort.get("/embeddings/word_embeddings/Gather_output_0").floats(), wordRows);
            assertArrayEquals(ort.get("/embeddings/position_embeddings/Gather_output_0").floats(), positionRows);
            assertArrayEquals(ort.get("/embeddings/token_type_embeddings/Gather_output_0").floats(), typeRows);

            for (LinearProbe p : probes) {
                byte[] xq = ort.get(p.input() + "_quantized").bytes();
                float scale = ort.get(p.input() + "_scale").floats()[0];
                int zero = ort.get(p.input() + "_zero_point").bytes()[0] & 0xFF;
                float[] x = new float[xq.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) ((xq[i] & 0xFF) - zero) * scale;
                }
                float[] y = ort.get(p.output()).floats();
                TensorInfo w = st.info(p.hfModule() + ".weight");
                double err = LinearProbe.maxError(x, st.readFloats(w.name()), y, (int) w.dim(0), (int) w.dim(1));
                assertTrue(err <= 1e-5 * (1 + LinearProbe.maxAbs(y)), p.hfModule() + ": off by " + err
                        + " (max |y| " + LinearProbe.maxAbs(y) + ")");
            }
        }
        JsonObject config = TestModels.json(dir.resolve("config.json"));
        assertEquals(6, config.get("num_hidden_layers").getAsInt());
        assertEquals(12, config.get("num_attention_heads").getAsInt());
        assertEquals(1536, config.get("intermediate_size").getAsInt());
        assertTrue(Arrays.asList(dir.toFile().list()).contains("2_Normalize"));
    }
}
