package org.bert4j.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sorts a run's results into what the report shows: bert4j beside its peers (whole model, tokenizer), the GEMM
 * backends side by side, and the kernels' GFLOP/s. Which results pair up is decided only by names: the same
 * benchmark class, the same parameters, the subject in the method name or an {@code impl}-like parameter
 * (see {@link Subject}).
 *
 * @param all         every result, in file order
 * @param models      whole-model rows (package {@code model}): bert4j, with onnxruntime beside it when it ran
 * @param tokenizers  tokenizer comparisons (package {@code tokenizer}), bert4j beside Hugging Face
 * @param tokenizerSolos tokenizer results without a peer
 * @param otherComparisons comparisons in any other package
 * @param gemm        the GEMM shapes measured on both backends
 * @param kernels     other results that count GFLOP (attention, GEMM on one backend only)
 * @param measuredPeak the FP32 peak the Vector API reached in {@code PeakFlopsBenchmark}, GFLOP/s by thread count
 */
public record Analysis(List<JmhResult> all, List<ModelRow> models, List<Comparison> tokenizers,
                       List<JmhResult> tokenizerSolos, List<Comparison> otherComparisons, List<GemmRow> gemm,
                       List<JmhResult> kernels, java.util.SortedMap<Integer, Double> measuredPeak) {

    /** Sorts the results. */
    public static Analysis of(List<JmhResult> results) {
        record Side(JmhResult result, Subject.Identified id) { }
        Map<String, Map<Subject, Side>> byWork = new LinkedHashMap<>();
        List<JmhResult> unidentified = new ArrayList<>();
        for (JmhResult r : results) {
            Optional<Subject.Identified> id = Subject.of(r);
            if (id.isEmpty()) {
                unidentified.add(r);
                continue;
            }
            String key = r.benchmark().substring(0, r.benchmark().lastIndexOf('.')) + "|" + id.get().variant() + "|"
                    + r.threads() + "|" + new TreeMap<>(id.get().sharedParams(r));
            byWork.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(id.get().subject(), new Side(r, id.get()));
        }

        List<ModelRow> models = new ArrayList<>();
        List<Comparison> tokenizers = new ArrayList<>();
        List<JmhResult> tokenizerSolos = new ArrayList<>();
        List<Comparison> other = new ArrayList<>();
        for (Map<Subject, Side> sides : byWork.values()) {
            Side ours = sides.get(Subject.BERT4J);
            List<Side> peers = sides.entrySet().stream().filter(e -> e.getKey() != Subject.BERT4J)
                    .map(Map.Entry::getValue).toList();
            if (ours == null) {
                // A peer without bert4j beside it is listed only among every result (and with the tokenizers).
                for (Side p : peers) {
                    if (p.result().area().equals("tokenizer")) {
                        tokenizerSolos.add(p.result());
                    }
                }
                continue;
            }
            String area = ours.result().area();
            if (area.equals("model")) {
                JmhResult ort = sides.containsKey(Subject.ONNXRUNTIME) ? sides.get(Subject.ONNXRUNTIME).result() : null;
                models.add(ModelRow.of(ours.id().variant(), ours.result(), ort));
                continue;
            }
            if (peers.isEmpty()) {
                (area.equals("tokenizer") ? tokenizerSolos : unidentified).add(ours.result());
            }
            for (Side p : peers) {
                Comparison c = new Comparison(ours.id().variant(), ours.id().sharedParams(ours.result()),
                        ours.result(), p.result(), p.id().subject());
                (area.equals("tokenizer") ? tokenizers : other).add(c);
            }
        }
        models.sort(Comparator.comparing(ModelRow::model).thenComparing(ModelRow::variant)
                .thenComparingDouble(m -> m.gflopPerBatch().orElse(Double.MAX_VALUE)));

        List<GemmRow> gemm = gemmRows(unidentified);
        List<JmhResult> inGemm = gemm.stream().flatMap(g -> java.util.stream.Stream.of(g.java(), g.openBlas())).toList();
        List<JmhResult> kernels = unidentified.stream()
                .filter(r -> r.metric("gflop").isPresent() && !inGemm.contains(r)).toList();
        java.util.SortedMap<Integer, Double> measuredPeak = new TreeMap<>();
        for (JmhResult r : results) {
            if (r.className().equals("PeakFlopsBenchmark") && r.metric("gflop").isPresent()) {
                measuredPeak.merge(r.threads(), r.metric("gflop").get().perSecond(), Math::max);
            }
        }
        return new Analysis(List.copyOf(results), models, tokenizers, tokenizerSolos, other, gemm, kernels,
                java.util.Collections.unmodifiableSortedMap(measuredPeak));
    }

    /** The measured peak with the most threads (the whole machine), if {@code PeakFlopsBenchmark} ran. */
    public java.util.OptionalDouble machinePeak() {
        return measuredPeak.isEmpty() ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(measuredPeak.get(measuredPeak.lastKey()));
    }

    /** Pairs results that differ only in {@code backend=java} vs {@code backend=openblas}. */
    private static List<GemmRow> gemmRows(List<JmhResult> results) {
        Map<String, JmhResult[]> pairs = new LinkedHashMap<>();
        for (JmhResult r : results) {
            Optional<String> backend = r.param("backend");
            if (backend.isEmpty() || !(backend.get().equals("java") || backend.get().equals("openblas"))) {
                continue;
            }
            Map<String, String> shared = new TreeMap<>(r.params());
            shared.remove("backend");
            JmhResult[] pair = pairs.computeIfAbsent(r.benchmark() + "|" + r.threads() + "|" + shared,
                    k -> new JmhResult[2]);
            pair[backend.get().equals("java") ? 0 : 1] = r;
        }
        List<GemmRow> rows = new ArrayList<>();
        for (JmhResult[] pair : pairs.values()) {
            if (pair[0] != null && pair[1] != null) {
                Map<String, String> shared = new TreeMap<>(pair[0].params());
                shared.remove("backend");
                rows.add(new GemmRow(shared, pair[0], pair[1]));
            }
        }
        return rows;
    }
}
