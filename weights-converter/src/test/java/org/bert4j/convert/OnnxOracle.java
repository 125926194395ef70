package org.bert4j.convert;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * onnxruntime as an independent reader of ONNX files. It cannot hand out initializers or intermediate values
 * directly, so the test appends a second {@code graph} field to the model bytes: protobuf merges repeated
 * occurrences of a message field, so the extra Identity nodes and graph outputs join the original graph, and
 * onnxruntime — parsing every original byte with its own protobuf code — returns the values we ask for.
 */
public final class OnnxOracle {

    /** A value returned by onnxruntime: raw little-endian bytes and the shape. */
    public record Value(byte[] bytes, long[] shape) {
        public float[] floats() {
            float[] f = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
    }

    private final Map<String, Integer> initializers = new LinkedHashMap<>();
    private final Map<String, Integer> values = new LinkedHashMap<>();

    /** Asks for the initializer {@code name} (ONNX element type code {@code elemType}), through an Identity node. */
    public OnnxOracle initializer(String name, int elemType) {
        initializers.put(name, elemType);
        return this;
    }

    /** Asks for the intermediate value {@code name}, made a graph output. */
    public OnnxOracle value(String name, int elemType) {
        values.put(name, elemType);
        return this;
    }

    /** Runs the model on one sequence of token ids (attention mask all ones, token types zero). */
    public Map<String, Value> run(byte[] model, long[] inputIds) throws OrtException {
        ProtoWriter graph = new ProtoWriter();
        Map<String, String> outputOf = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Integer> e : initializers.entrySet()) {
            String out = "bert4j_probe_" + (i++);
            graph.message(1, ProtoWriter.node("bert4j_probe_node_" + i, "Identity", new String[] {e.getKey()}, new String[] {out}));
            graph.message(12, ProtoWriter.valueInfo(out, e.getValue()));
            outputOf.put(e.getKey(), out);
        }
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            graph.message(12, ProtoWriter.valueInfo(e.getKey(), e.getValue()));
            outputOf.put(e.getKey(), e.getKey());
        }
        byte[] merged = new ProtoWriter().raw(model).message(7, graph).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(merged, options)) {
                long[][] ids = {inputIds};
                long[][] mask = new long[1][inputIds.length];
                java.util.Arrays.fill(mask[0], 1);
                long[][] types = new long[1][inputIds.length];
                Map<String, ai.onnxruntime.OnnxTensor> feeds = new HashMap<>();
                try {
                    feeds.put("input_ids", ai.onnxruntime.OnnxTensor.createTensor(env, ids));
                    feeds.put("attention_mask", ai.onnxruntime.OnnxTensor.createTensor(env, mask));
                    feeds.put("token_type_ids", ai.onnxruntime.OnnxTensor.createTensor(env, types));
                    Set<String> wanted = new LinkedHashSet<>(outputOf.values());
                    Map<String, Value> result = new LinkedHashMap<>();
                    try (OrtSession.Result r = session.run(feeds, wanted)) {
                        for (Map.Entry<String, String> e : outputOf.entrySet()) {
                            OnnxValue v = r.get(e.getValue()).orElseThrow();
                            ai.onnxruntime.OnnxTensor t = (ai.onnxruntime.OnnxTensor) v;
                            ByteBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder());
                            byte[] bytes = new byte[b.remaining()];
                            b.get(bytes);
                            result.put(e.getKey(), new Value(bytes, t.getInfo().getShape()));
                        }
                    }
                    return result;
                } finally {
                    for (ai.onnxruntime.OnnxTensor t : feeds.values()) {
                        t.close();
                    }
                }
            }
        }
    }
}
