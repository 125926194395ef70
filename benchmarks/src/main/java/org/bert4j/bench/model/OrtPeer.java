package org.bert4j.bench.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * onnxruntime (CPU, fp32) running the same ONNX file bert4j's model was converted from, on a right-padded batch
 * with an attention mask, followed by the same mean pooling: the peer every whole-model benchmark is compared to.
 */
final class OrtPeer implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtPeer(String resource, int threads) throws IOException, OrtException {
        byte[] onnx;
        try (InputStream in = OrtPeer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("ONNX resource " + resource + " is not on the classpath");
            }
            onnx = in.readAllBytes();
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx, options);
    }

    /** Padded inputs for onnxruntime: ids, mask, token types, each [batch × longest]. */
    record Inputs(long[][] ids, long[][] mask, long[][] types) {
        static Inputs of(int[][] sequences) {
            int longest = 0;
            for (int[] s : sequences) {
                longest = Math.max(longest, s.length);
            }
            long[][] ids = new long[sequences.length][longest];
            long[][] mask = new long[sequences.length][longest];
            for (int b = 0; b < sequences.length; b++) {
                for (int t = 0; t < sequences[b].length; t++) {
                    ids[b][t] = sequences[b][t];
                    mask[b][t] = 1;
                }
            }
            return new Inputs(ids, mask, new long[sequences.length][longest]);
        }
    }

    /** The last hidden state [batch][tokens][hidden] of a padded batch. */
    float[][][] lastHiddenState(Inputs in) throws OrtException {
        try (OnnxTensor ids = OnnxTensor.createTensor(env, in.ids());
             OnnxTensor mask = OnnxTensor.createTensor(env, in.mask());
             OnnxTensor types = OnnxTensor.createTensor(env, in.types());
             OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
            return (float[][][]) result.get(0).getValue();
        }
    }

    /** Forward pass and mask-weighted mean pooling, as sentence-transformers does. */
    float[][] meanPooled(Inputs in) throws OrtException {
        float[][][] hidden = lastHiddenState(in);
        float[][] out = new float[hidden.length][];
        for (int b = 0; b < hidden.length; b++) {
            int width = hidden[b][0].length;
            float[] sum = new float[width];
            int count = 0;
            for (int t = 0; t < hidden[b].length; t++) {
                if (in.mask()[b][t] == 0) {
                    continue;
                }
                count++;
                for (int i = 0; i < width; i++) {
                    sum[i] += hidden[b][t][i];
                }
            }
            for (int i = 0; i < width; i++) {
                sum[i] /= count;
            }
            out[b] = sum;
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
