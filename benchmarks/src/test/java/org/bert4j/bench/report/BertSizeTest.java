package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BertSizeTest {

    @Test
    void bertBaseAtEightTimes128CountsProjectionsAndAttention() {
        // 2·1024 tokens·12 layers·(4·768² + 2·768·3072) = 173.95 GFLOP of projections and feed-forward,
        // 12 layers·8 sequences·4·128²·768 = 4.83 GFLOP of attention (BertBaseBenchmark's Javadoc says the same).
        double projections = 2.0 * 1024 * 12 * (4.0 * 768 * 768 + 2.0 * 768 * 3072);
        double attention = 12.0 * 8 * 4 * 128 * 128 * 768;

        assertEquals((projections + attention) / 1e9, BertSize.BERT_BASE.gflop(8, 128), 1e-9);
        assertEquals(178.778, BertSize.BERT_BASE.gflop(8, 128), 1e-3);
    }

    @Test
    void miniLmOneSentenceOf16Tokens() {
        assertEquals(0.342097920, BertSize.MINILM.gflop(1, 16), 1e-12);
    }

    @Test
    void mixedLengthsAddUpPerSequence() {
        assertEquals(BertSize.MINILM.gflop(1, 16) + BertSize.MINILM.gflop(1, 100), BertSize.MINILM.gflopForLengths(16, 100),
                1e-12);
    }

    @Test
    void recognisesTheModelsByTheirClassOrParameterNames() {
        assertEquals(Optional.of(BertSize.MINILM), BertSize.recognise("MiniLm"));
        assertEquals(Optional.of(BertSize.MINILM), BertSize.recognise("all-MiniLM-L6-v2"));
        assertEquals(Optional.of(BertSize.BERT_BASE), BertSize.recognise("BertBase"));
        assertEquals(Optional.of(BertSize.BERT_BASE), BertSize.recognise("bert-base"));
        assertEquals(Optional.of(BertSize.SMALL_12), BertSize.recognise("bge-small-en-v1.5"));
        assertEquals(Optional.empty(), BertSize.recognise("Tokenizer"));
    }
}
