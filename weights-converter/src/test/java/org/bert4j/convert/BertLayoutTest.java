package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.safetensors.Tensor;
import org.junit.jupiter.api.Test;

/** Reading BERT's dimensions off the weights: every shape a hostile checkpoint can declare is an error, not a crash. */
class BertLayoutTest {

    /** A complete 1-layer BERT (vocab 5, hidden 2, intermediate 3, positions 4, 2 token types), all zeros. */
    private static Map<String, Tensor> tiny() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        put(m, "embeddings.word_embeddings.weight", 5, 2);
        put(m, "embeddings.position_embeddings.weight", 4, 2);
        put(m, "embeddings.token_type_embeddings.weight", 2, 2);
        put(m, "embeddings.LayerNorm.weight", 2);
        put(m, "embeddings.LayerNorm.bias", 2);
        for (String p : BertLayout.LAYER_PARAMETERS) {
            boolean weight = p.endsWith(".weight") && !p.contains("LayerNorm");
            long out = p.startsWith("intermediate") ? 3 : 2;
            long in = p.startsWith("output.dense") ? 3 : 2;
            if (weight) {
                put(m, "encoder.layer.0." + p, out, in);
            } else {
                put(m, "encoder.layer.0." + p, out);
            }
        }
        return m;
    }

    private static void put(Map<String, Tensor> m, String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        m.put(name, Tensor.f32(name, shape, new float[(int) n]));
    }

    private static String refused(Map<String, Tensor> m) {
        return assertThrows(ConversionException.class, () -> BertLayout.check("ckpt", m)).getMessage();
    }

    @Test
    void aCompleteCheckpointGivesItsDimensions() throws ConversionException {
        assertEquals(new BertLayout.Dimensions(5, 2, 1, 3, 4, 2), BertLayout.check("ckpt", tiny()));
        assertEquals(List.of("classifier.bias"), BertLayout.notInBertModel(List.of("pooler.dense.weight",
                "encoder.layer.7.output.dense.bias", "classifier.bias")));
    }

    @Test
    void aLayerIndexBeyondTheTensorCountIsRefusedWithoutWalkingToIt() {
        // Index 2,000,000,000 made the check list 32 billion missing tensors; 99999999999 overflowed Integer.parseInt.
        for (String index : List.of("2000000000", "99999999999", "40")) {
            Map<String, Tensor> m = tiny();
            put(m, "encoder.layer." + index + ".output.dense.bias", 2);
            assertTrue(refused(m).contains("names layer " + index), index);
        }
    }

    @Test
    void embeddingsOfTheWrongRankOrSizeAreRefused() {
        Map<String, Tensor> scalar = tiny();
        put(scalar, "embeddings.position_embeddings.weight"); // rank 0: shape()[0] threw ArrayIndexOutOfBounds
        assertTrue(refused(scalar).contains("embeddings.position_embeddings.weight has shape []"), refused(scalar));
        Map<String, Tensor> huge = tiny();
        huge.put("embeddings.word_embeddings.weight", Tensor.f32("embeddings.word_embeddings.weight", new long[] {1L << 40, 0},
                new float[0])); // no bytes, but 2^40 rows: Math.toIntExact threw ArithmeticException
        assertTrue(refused(huge).contains("not [rows, columns] of int size"), refused(huge));
        Map<String, Tensor> empty = tiny();
        put(empty, "embeddings.token_type_embeddings.weight", 0, 2);
        assertTrue(refused(empty).contains("an empty dimension"), refused(empty));
    }
}
