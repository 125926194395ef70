package org.bert4j.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sizes of a BERT encoder that decide how many FLOPs its forward pass does.
 *
 * @param name         how the report names it
 * @param layers       {@code num_hidden_layers}
 * @param hidden       {@code hidden_size}
 * @param intermediate {@code intermediate_size}
 */
public record BertSize(String name, int layers, int hidden, int intermediate) {

    /** all-MiniLM-L6-v2, the product's default model. */
    public static final BertSize MINILM = new BertSize("MiniLM-L6", 6, 384, 1536);
    /** bge-small-en-v1.5 and e5-small-v2: MiniLM's width, twice its depth. */
    public static final BertSize SMALL_12 = new BertSize("bge/e5-small", 12, 384, 1536);
    /** bert-base-uncased's shape. */
    public static final BertSize BERT_BASE = new BertSize("bert-base", 12, 768, 3072);

    /**
     * GFLOP of one forward pass over sequences of these lengths, counting each multiply-add as 2 FLOP: per layer
     * and token, the fused QKV (H→3H), output (H→H) and feed-forward (H→I→H) projections, 2·(4H² + 2HI); per layer
     * and sequence of T tokens, Q·Kᵀ and P·V, 4·T²·H. Embeddings, LayerNorm, softmax, GELU and pooling are O(T·H)
     * and left out (under 1% here).
     */
    public double gflopForLengths(int... sequenceLengths) {
        double flop = 0;
        for (int t : sequenceLengths) {
            flop += 2.0 * t * (4.0 * hidden * hidden + 2.0 * hidden * intermediate) + 4.0 * t * (double) t * hidden;
        }
        return flop * layers / 1e9;
    }

    /** GFLOP of a batch of {@code batch} sequences of {@code tokens} tokens each. */
    public double gflop(int batch, int tokens) {
        return batch * gflopForLengths(tokens);
    }

    /** The known model a benchmark's class name or {@code model} parameter names, e.g. "MiniLm" or "bert-base". */
    public static Optional<BertSize> recognise(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (t.contains("minilm")) {
            return Optional.of(MINILM);
        }
        if (t.contains("bertbase")) {
            return Optional.of(BERT_BASE);
        }
        if (t.contains("bge") || t.contains("e5small")) {
            return Optional.of(SMALL_12);
        }
        return Optional.empty();
    }

    /** Every size {@link #recognise} knows. */
    public static List<BertSize> known() {
        return List.of(MINILM, SMALL_12, BERT_BASE);
    }
}
