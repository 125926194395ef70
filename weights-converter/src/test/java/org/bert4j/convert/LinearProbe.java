package org.bert4j.convert;

import java.util.ArrayList;
import java.util.List;

/**
 * One Linear layer of a torch.onnx BERT export and the graph values around it: the activation it reads and the
 * product {@code x·Wᵀ} it writes (before the bias). The value names follow torch.onnx's scope naming, which is
 * independent of how the converter names weights.
 */
record LinearProbe(String hfModule, String input, String output) {

    /** The six Linear layers of encoder layer {@code l}. */
    static List<LinearProbe> ofLayer(int l) {
        String p = "/encoder/layer." + l + "/";
        String hf = "encoder.layer." + l + ".";
        String layerInput = l == 0 ? "/embeddings/LayerNorm/Add_1_output_0" : "/encoder/layer." + (l - 1) + "/output/LayerNorm/Add_1_output_0";
        List<LinearProbe> probes = new ArrayList<>();
        for (String qkv : List.of("query", "key", "value")) {
            probes.add(new LinearProbe(hf + "attention.self." + qkv, layerInput, p + "attention/self/" + qkv + "/MatMul_output_0"));
        }
        probes.add(new LinearProbe(hf + "attention.output.dense", p + "attention/self/Reshape_3_output_0",
                p + "attention/output/dense/MatMul_output_0"));
        probes.add(new LinearProbe(hf + "intermediate.dense", p + "attention/output/LayerNorm/Add_1_output_0",
                p + "intermediate/dense/MatMul_output_0"));
        probes.add(new LinearProbe(hf + "output.dense", p + "intermediate/intermediate_act_fn/Mul_1_output_0",
                p + "output/dense/MatMul_output_0"));
        return probes;
    }

    /** max |y - x·Wᵀ| over all rows, with W [out, in] row-major and double accumulation. */
    static double maxError(float[] x, float[] w, float[] y, int out, int in) {
        int rows = x.length / in;
        if (y.length != rows * out || w.length != out * in) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int k = 0; k < in; k++) {
                    s += (double) x[r * in + k] * w[o * in + k];
                }
                worst = Math.max(worst, Math.abs(s - y[r * out + o]));
            }
        }
        return worst;
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
