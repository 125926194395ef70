package org.bert4j.bench.report;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One whole-model measurement: bert4j on one model and batch shape, with onnxruntime beside it when the benchmark
 * ran it on the same batch.
 *
 * @param model    the model's name, from a {@code model} parameter or the benchmark class
 * @param variant  what distinguishes this method beyond the subject (e.g. "Int8"), often empty
 * @param workload the batch shape
 * @param size     the model's sizes, when known, for the FLOP count
 * @param ours     bert4j's result
 * @param peer     onnxruntime's result on the same batch, or null
 */
public record ModelRow(String model, String variant, Workload workload, Optional<BertSize> size, JmhResult ours,
                       JmhResult peer) {

    /** A row for a result of the {@code model} benchmarks, with its peer's result or null. */
    static ModelRow of(String variant, JmhResult ours, JmhResult peer) {
        String className = ours.className().replaceFirst("Benchmark$", "");
        Optional<String> modelParam = ours.param("model");
        Optional<BertSize> size = BertSize.recognise(modelParam.orElse(className));
        String model = modelParam.orElse(size.map(BertSize::name).orElse(className));
        return new ModelRow(model, variant, Workload.of(ours), size, ours, peer);
    }

    /** bert4j's sentences per second, if the batch size is known. */
    public OptionalDouble oursSentencesPerSecond() {
        return Workload.sentencesPerSecond(ours);
    }

    /** onnxruntime's sentences per second, if it ran and the batch size is known. */
    public OptionalDouble peerSentencesPerSecond() {
        return peer == null ? OptionalDouble.empty() : Workload.sentencesPerSecond(peer);
    }

    /** bert4j's milliseconds per batch. */
    public double oursMillisPerBatch() {
        return 1000.0 / ours.primary().perSecond();
    }

    /** onnxruntime's milliseconds per batch, NaN if it did not run. */
    public double peerMillisPerBatch() {
        return peer == null ? Double.NaN : 1000.0 / peer.primary().perSecond();
    }

    /** bert4j over onnxruntime (above 1: bert4j is faster), NaN without a peer. */
    public double ratio() {
        return peer == null ? Double.NaN : ours.primary().perSecond() / peer.primary().perSecond();
    }

    /** GFLOP in one batch, if the model's sizes and the sequence length are known. */
    public OptionalDouble gflopPerBatch() {
        if (size.isEmpty() || workload.batch().isEmpty() || workload.tokens().isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(size.get().gflop(workload.batch().getAsInt(), workload.tokens().getAsInt()));
    }

    /** bert4j's GFLOP/s, if the FLOPs are known. */
    public OptionalDouble oursGflops() {
        OptionalDouble g = gflopPerBatch();
        return g.isPresent() ? OptionalDouble.of(g.getAsDouble() * ours.primary().perSecond()) : OptionalDouble.empty();
    }

    /** bert4j's GFLOP/s as a fraction of the machine's FP32 peak. */
    public OptionalDouble fractionOfPeak(FpPeak peak) {
        OptionalDouble g = oursGflops();
        return g.isPresent() ? OptionalDouble.of(g.getAsDouble() / peak.gflops()) : OptionalDouble.empty();
    }

    /** "MiniLM-L6 32×128" (plus the variant, if any). */
    public String label() {
        return model + (variant.isEmpty() ? "" : " " + variant) + " " + workload.label();
    }
}
