package org.bert4j.engine.parity;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** onnxruntime (CPU, fp32) on the very ONNX file the converter read: the oracle of the parity tests. */
final class OnnxOracle implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxOracle(String resource) throws IOException, OrtException {
        byte[] onnx;
        try (InputStream in = OnnxOracle.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("ONNX resource " + resource + " is not on the test classpath");
            }
            onnx = in.readAllBytes();
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
        options.setInterOpNumThreads(1);
        session = env.createSession(onnx, options);
    }

    /** onnxruntime on an ONNX file on disk (e.g. a fixture exported by a script). */
    OnnxOracle(Path file) throws OrtException {
        session = env.createSession(file.toString(), new OrtSession.SessionOptions());
    }

    /** The names of the graph's outputs. */
    Set<String> outputNames() throws OrtException {
        return session.getOutputNames();
    }

    /** The last hidden state [tokens][hidden] of one unpadded sequence. */
    float[][] lastHiddenState(int[] ids, int[] typeIds) throws OrtException {
        return run(ids, typeIds, result -> ((float[][][]) result.get("last_hidden_state").orElseThrow().getValue())[0]);
    }

    /** The pooler output [hidden] of one unpadded sequence (for graphs that export it). */
    float[] poolerOutput(int[] ids, int[] typeIds) throws OrtException {
        return run(ids, typeIds, result -> ((float[][]) result.get("pooler_output").orElseThrow().getValue())[0]);
    }

    private interface Read<T> {
        T from(OrtSession.Result result) throws OrtException;
    }

    /** Runs one unpadded sequence (mask all ones) and reads what {@code read} takes from the outputs. */
    private <T> T run(int[] ids, int[] typeIds, Read<T> read) throws OrtException {
        long[][] inputIds = new long[1][ids.length];
        long[][] mask = new long[1][ids.length];
        long[][] types = new long[1][ids.length];
        for (int t = 0; t < ids.length; t++) {
            inputIds[0][t] = ids[t];
            mask[0][t] = 1;
            types[0][t] = typeIds[t];
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, inputIds);
             OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, types);
             OrtSession.Result result = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            return read.from(result);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
