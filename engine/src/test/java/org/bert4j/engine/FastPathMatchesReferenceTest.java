package org.bert4j.engine;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.reference.ReferenceBert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused, packed fast path computes what the plain reference path computes, on random small models. */
class FastPathMatchesReferenceTest {

    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    /** Every activation on every kernel set, with the kernels' own GEMM and with auto. */
    static Stream<Arguments> activationsAndKernels() {
        List<Arguments> cases = new ArrayList<>();
        for (String act : new String[] {"gelu", "gelu_new", "relu"}) {
            for (String kernels : new String[] {"vector-128", "vector-256", "vector-512", "scalar"}) {
                for (String gemm : new String[] {"java", "auto"}) {
                    cases.add(Arguments.of(act, kernels, gemm));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} gemm={2}")
    @MethodSource("activationsAndKernels")
    void packedMixedLengthBatchMatchesReferenceForEveryActivation(String act, String kernels, String gemm)
            throws IOException {
        BertConfig c = TinyModels.config().withHiddenAct(act);
        TinyModels.write(dir, c, true);
        int[][] ids = TinyModels.randomSequences(7, 9, 60, c.vocabSize());
        try (BertModel model = BertModel.load(dir, EngineOptions.defaults().withKernels(kernels).withGemm(gemm))) {
            ReferenceBert reference = ReferenceBert.load(dir);
            BertModelOutput out = model.forward(TokenBatch.of(ids, null));
            for (int s = 0; s < ids.length; s++) {
                ReferenceBert.Output expected = reference.forward(new int[][] {ids[s]}, null, null);
                for (int t = 0; t < ids[s].length; t++) {
                    assertArrayEquals(expected.lastHiddenState()[0][t], out.tokenVector(s, t), TOLERANCE,
                            "sequence " + s + " token " + t);
                }
                assertArrayEquals(expected.poolerOutput()[0], out.poolerVector(s), TOLERANCE, "pooler of sequence " + s);
            }
        }
    }

    @Test
    void tokenTypeIdsAreUsed() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        int[][] ids = {{1, 2, 3, 4, 5}};
        int[][] types = {{0, 0, 1, 1, 1}};
        try (BertModel model = BertModel.load(dir)) {
            ReferenceBert reference = ReferenceBert.load(dir);
            float[] fast = model.forward(TokenBatch.of(ids, types)).tokenVector(0, 4);
            assertArrayEquals(reference.forward(ids, types, null).lastHiddenState()[0][4], fast, TOLERANCE);
            float[] single = model.forward(TokenBatch.of(ids, null)).tokenVector(0, 4);
            assertTrue(Math.abs(single[0] - fast[0]) > 1e-3, "segment B must change the vectors");
        }
    }

    @Test
    void aSequenceAloneAndInsideABatchGivesTheSameVectors() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        int[][] ids = TinyModels.randomSequences(11, 6, 40, c.vocabSize());
        try (BertModel model = BertModel.load(dir)) {
            BertModelOutput batch = model.forward(TokenBatch.of(ids, null));
            for (int s = 0; s < ids.length; s++) {
                BertModelOutput alone = model.forward(TokenBatch.of(new int[][] {ids[s]}, null));
                assertArrayEquals(alone.sequence(0), batch.sequence(s), TOLERANCE);
            }
        }
    }

    @Test
    void allHiddenStatesHoldEmbeddingsThenEveryLayer() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        try (BertModel model = BertModel.load(dir)) {
            TokenBatch batch = TokenBatch.of(new int[][] {{1, 2, 3}, {4, 5}}, null);
            BertModelOutput out = model.forward(batch, true);
            assertEquals(c.numHiddenLayers() + 1, out.allHiddenStates().size());
            assertArrayEquals(out.lastHidden(), out.allHiddenStates().getLast());
            assertNull(out.pooler());
            assertNull(model.forward(batch).allHiddenStates());
        }
    }

    @Test
    void referencePaddingMaskKeepsPaddingFromLeaking() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        ReferenceBert reference = ReferenceBert.load(dir);
        int[] ids = {5, 6, 7};
        float[][] alone = reference.forward(new int[][] {ids}, null, null).lastHiddenState()[0];
        float[][] padded = reference.forward(new int[][] {{5, 6, 7, 0, 0}}, null, new int[][] {{1, 1, 1, 0, 0}})
                .lastHiddenState()[0];
        for (int t = 0; t < ids.length; t++) {
            assertArrayEquals(alone[t], padded[t], 1e-6f);
        }
    }

    @Test
    void concurrentForwardsOnOneModelGiveTheSameResultsAsSequentialOnes() throws Exception {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, true);
        try (BertModel model = BertModel.load(dir)) {
            List<int[][]> inputs = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int[][] ids = TinyModels.randomSequences(100 + i, 4, 50, c.vocabSize());
                inputs.add(ids);
                expected.add(model.forward(TokenBatch.of(ids, null)).lastHidden());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int[][] ids : inputs) {
                        results.add(pool.submit(() -> model.forward(TokenBatch.of(ids, null)).lastHidden()));
                    }
                }
                // A busy pool may split a GEMM differently (last-bit rounding, ~1e-7); shared scratch would show
                // as errors of order 1.
                for (int i = 0; i < results.size(); i++) {
                    assertArrayEquals(expected.get(i % inputs.size()), results.get(i).get(), 1e-5f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void anEarlierOutputStaysIntactWhileLaterForwardsReuseTheWorkspace() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        try (BertModel model = BertModel.load(dir)) {
            int[][] ids = TinyModels.randomSequences(7, 3, 40, c.vocabSize());
            float[] first = model.forward(TokenBatch.of(ids, null)).lastHidden();
            float[] copy = first.clone();
            for (int i = 0; i < 5; i++) {
                model.forward(TokenBatch.of(TinyModels.randomSequences(8 + i, 2 + i, 30, c.vocabSize()), null));
            }
            assertArrayEquals(copy, first, 0f);
            // The same batch again, in a reused (larger) workspace: equal up to last-bit rounding, since the auto
            // backend moves small GEMMs from OpenBLAS to the Java kernel once the JIT has compiled it. Stale
            // buffers would show as errors of order 1.
            assertArrayEquals(copy, model.forward(TokenBatch.of(ids, null)).lastHidden(), 1e-5f);
        }
    }
}
