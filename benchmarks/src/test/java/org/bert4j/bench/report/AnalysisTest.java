package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.bert4j.bench.report.Samples.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisTest {

    private static final FpPeak PEAK = new FpPeak(2, 2, 8, 2.5, "test");

    @Test
    void bert4jAndOnnxruntimeOnTheSameShapePairIntoOneRowWithTheirRatio() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 2.0, "ops/s", "shape", "32x128", "threads", "2"),
                result("model.MiniLmBenchmark.onnxruntime", 1.6, "ops/s", "shape", "32x128", "threads", "2")));

        assertEquals(1, a.models().size());
        ModelRow row = a.models().getFirst();
        assertEquals("MiniLM-L6", row.model());
        assertEquals("32×128", row.workload().label());
        assertEquals(1.25, row.ratio(), 1e-12);
        assertEquals(64.0, row.oursSentencesPerSecond().orElseThrow(), 1e-12);
        assertEquals(51.2, row.peerSentencesPerSecond().orElseThrow(), 1e-12);
        assertEquals(500.0, row.oursMillisPerBatch(), 1e-9);
        assertEquals(625.0, row.peerMillisPerBatch(), 1e-9);
    }

    @Test
    void averageTimesCompareAsRatesSoAboveOneStillMeansBert4jIsFaster() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 20, "ms/op", "shape", "1x16"),
                result("model.MiniLmBenchmark.onnxruntime", 25, "ms/op", "shape", "1x16")));

        ModelRow row = a.models().getFirst();
        assertEquals(1.25, row.ratio(), 1e-12);
        assertEquals(50.0, row.oursSentencesPerSecond().orElseThrow(), 1e-9);
    }

    @Test
    void theFractionOfPeakDividesTheForwardsFlopsPerSecondByThePeak() {
        Analysis a = Analysis.of(List.of(result("model.BertBaseBenchmark.bert4j", 2000, "ms/op", "shape", "8x128")));

        ModelRow row = a.models().getFirst();
        assertNull(row.peer());
        assertEquals("bert-base", row.model());
        double gflop = BertSize.BERT_BASE.gflop(8, 128);
        assertEquals(gflop, row.gflopPerBatch().orElseThrow(), 1e-9);
        assertEquals(gflop / 2, row.oursGflops().orElseThrow(), 1e-9);
        assertEquals(gflop / 2 / 160.0, row.fractionOfPeak(PEAK).orElseThrow(), 1e-12);
    }

    @Test
    void resultsOnDifferentShapesDoNotPairAndALonePeerIsNoBert4jRow() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 2.0, "ops/s", "shape", "32x128"),
                result("model.MiniLmBenchmark.onnxruntime", 1.6, "ops/s", "shape", "8x512")));

        assertEquals(1, a.models().size());
        assertEquals("32×128", a.models().getFirst().workload().label());
        assertNull(a.models().getFirst().peer());
    }

    @Test
    void aVariantPairsOnlyWithTheSameVariant() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4jInt8", 3.0, "ops/s", "shape", "32x128"),
                result("model.MiniLmBenchmark.onnxruntimeInt8", 2.0, "ops/s", "shape", "32x128"),
                result("model.MiniLmBenchmark.bert4j", 2.0, "ops/s", "shape", "32x128"),
                result("model.MiniLmBenchmark.onnxruntime", 1.6, "ops/s", "shape", "32x128")));

        assertEquals(2, a.models().size());
        ModelRow plain = a.models().getFirst();
        ModelRow int8 = a.models().get(1);
        assertEquals("", plain.variant());
        assertEquals(1.25, plain.ratio(), 1e-12);
        assertEquals("Int8", int8.variant());
        assertEquals(1.5, int8.ratio(), 1e-12);
    }

    @Test
    void aMixedLengthBatchTakesItsSentenceCountFromItsCounter() {
        Map<String, Metric> sentences = Map.of("sentences", new Metric(96, Double.NaN, "ops/s"));
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 3.0, "ops/s", sentences, "shape", "seed"),
                result("model.MiniLmBenchmark.onnxruntime", 2.0, "ops/s", sentences, "shape", "seed")));

        ModelRow row = a.models().getFirst();
        assertEquals("seed", row.workload().label());
        assertEquals(96.0, row.oursSentencesPerSecond().orElseThrow(), 1e-12);
        assertTrue(row.gflopPerBatch().isEmpty(), "mixed lengths have no single FLOP count");
        assertEquals(1.5, row.ratio(), 1e-12);
    }

    @Test
    void aMixedShapeNamedWithItsBatchSizeGivesSentencesButNoFlops() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 50, "ms/op", "shape", "20xseed"),
                result("model.MiniLmBenchmark.onnxruntime", 100, "ms/op", "shape", "20xseed")));

        ModelRow row = a.models().getFirst();
        assertEquals("20×seed", row.workload().label());
        assertEquals(400.0, row.oursSentencesPerSecond().orElseThrow(), 1e-9);
        assertEquals(200.0, row.peerSentencesPerSecond().orElseThrow(), 1e-9);
        assertTrue(row.gflopPerBatch().isEmpty());
        assertEquals(2.0, row.ratio(), 1e-12);
    }

    @Test
    void aMixedShapeWithoutItsBatchSizeStillHasItsRatio() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 50, "ms/op", "shape", "seed"),
                result("model.MiniLmBenchmark.onnxruntime", 100, "ms/op", "shape", "seed")));

        ModelRow row = a.models().getFirst();
        assertTrue(row.oursSentencesPerSecond().isEmpty());
        assertEquals(50.0, row.oursMillisPerBatch(), 1e-9);
        assertEquals(2.0, row.ratio(), 1e-12);
    }

    @Test
    void tokenizerRatesComeFromTheBytesCounterAndThePeerMayBeNamedByAParameter() {
        Analysis a = Analysis.of(List.of(
                result("tokenizer.TokenizerBenchmark.encode", 10, "ops/s",
                        Map.of("bytes", new Metric(30e6, Double.NaN, "ops/s")), "impl", "bert4j", "texts", "news"),
                result("tokenizer.TokenizerBenchmark.encode", 8, "ops/s",
                        Map.of("bytes", new Metric(24e6, Double.NaN, "ops/s")), "impl", "huggingface", "texts", "news")));

        assertEquals(1, a.tokenizers().size());
        Comparison c = a.tokenizers().getFirst();
        assertEquals(Subject.HF_TOKENIZERS, c.peerIs());
        assertEquals(Map.of("texts", "news"), c.params());
        assertEquals(1.25, c.ratio(), 1e-12);
        assertEquals(30.0, TokenizerRates.mbPerSecond(c.ours()).orElseThrow(), 1e-9);
        assertEquals(24.0, TokenizerRates.mbPerSecond(c.peer()).orElseThrow(), 1e-9);
    }

    @Test
    void aPeerVariantWithoutItsBert4jCounterpartComparesWithPlainBert4j() {
        Map<String, Metric> bytes = Map.of("bytes", new Metric(1e6, Double.NaN, "ops/s"));
        Analysis a = Analysis.of(List.of(
                result("tokenizer.TokenizerBenchmark.bert4j", 10, "ops/s", bytes, "corpus", "news"),
                result("tokenizer.TokenizerBenchmark.huggingFace", 8, "ops/s", bytes, "corpus", "news"),
                result("tokenizer.TokenizerBenchmark.huggingFaceIdsOnly", 20, "ops/s", bytes, "corpus", "news")));

        assertEquals(2, a.tokenizers().size());
        assertEquals("HF tokenizers", a.tokenizers().get(0).peerName());
        assertEquals(1.25, a.tokenizers().get(0).ratio(), 1e-12);
        assertEquals("HF tokenizers ids only", a.tokenizers().get(1).peerName());
        assertEquals(0.5, a.tokenizers().get(1).ratio(), 1e-12);
        assertTrue(a.tokenizerSolos().isEmpty());
    }

    @Test
    void theSubjectWordMustEndAtAWordBoundary() {
        Analysis a = Analysis.of(List.of(
                result("tokenizer.TokenizerBenchmark.bert4jBatch", 10, "ops/s"),
                result("tokenizer.TokenizerBenchmark.ortBatch", 5, "ops/s"),
                result("tokenizer.TokenizerBenchmark.orthogonalBatch", 5, "ops/s")));

        assertEquals(1, a.tokenizers().size());
        assertEquals(Subject.ONNXRUNTIME, a.tokenizers().getFirst().peerIs());
        assertEquals(2.0, a.tokenizers().getFirst().ratio(), 1e-12);
    }

    @Test
    void thePeakFlopsBenchmarkGivesTheMeasuredPeakPerThreadCountAndTheMachinesIsTheMostThreads() {
        JmhResult oneCore = result("kernels.PeakFlopsBenchmark.fmaChains", 1e5, "ops/s",
                Map.of("gflop", new Metric(100, Double.NaN, "ops/s")));
        JmhResult twoCores = Samples.onThreads(result("kernels.PeakFlopsBenchmark.fmaChains", 2e5, "ops/s",
                Map.of("gflop", new Metric(190, Double.NaN, "ops/s"))), 2);

        JmhResult twoCoresContended = Samples.onThreads(result("kernels.PeakFlopsBenchmark.fmaChains", 2e5, "ops/s",
                Map.of("gflop", new Metric(80, Double.NaN, "ops/s"))), 2);

        Analysis a = Analysis.of(List.of(oneCore, twoCores));
        Analysis contended = Analysis.of(List.of(oneCore, twoCoresContended));

        assertEquals(Map.of(1, 100.0, 2, 190.0), a.measuredPeak());
        assertEquals(190.0, a.machinePeak().orElseThrow());
        assertEquals(80.0, contended.machinePeak().orElseThrow(), "the whole machine's, contention included");
    }

    @Test
    void theSameBenchmarkOnDifferentThreadCountsDoesNotPair() {
        Analysis a = Analysis.of(List.of(
                result("tokenizer.TokenizerBenchmark.bert4j", 10, "ops/s"),
                Samples.onThreads(result("tokenizer.TokenizerBenchmark.huggingFace", 5, "ops/s"), 2)));

        assertTrue(a.tokenizers().isEmpty());
        assertEquals(2, a.tokenizerSolos().size());
    }

    @Test
    void realGemmResultsPairTheJavaBackendWithOpenBlas() {
        Analysis a = Analysis.of(JmhJson.parse(Samples.text("jmh-gemm.json")));

        assertEquals(2, a.gemm().size());
        GemmRow small = a.gemm().getFirst();
        assertEquals(Map.of("shape", "384x1152", "threads", "0", "tokens", "16"), small.params());
        assertEquals(904.4007384726315 / 223.7605643410868, small.ratio(), 1e-12);
        assertEquals(12.80249426805342, small.javaGflops(), 1e-12);
        assertTrue(a.models().isEmpty());
        assertTrue(a.kernels().isEmpty(), "paired GEMM results are not listed again as kernels");
    }
}
