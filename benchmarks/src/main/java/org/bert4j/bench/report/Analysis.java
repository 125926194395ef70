package org.bert4j.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

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
                       List<JmhResult> kernels, SortedMap<Integer, Double> measuredPeak) {

    /** Sorts the results. */
    public static Analysis of(List<JmhResult> results) {
        record Side(JmhResult result, Subject.Identified id) { }
        // Results measured on the same work: same class, same JMH thread count, same parameters but the subject's.
        Map<String, List<Side>> byWork = new LinkedHashMap<>();
        List<JmhResult> unidentified = new ArrayList<>();
        for (JmhResult r : results) {
            Optional<Subject.Identified> id = Subject.of(r);
            if (id.isEmpty()) {
                unidentified.add(r);
                continue;
            }
            String key = r.benchmark().substring(0, r.benchmark().lastIndexOf('.')) + "|" + r.threads() + "|"
                    + new TreeMap<>(id.get().sharedParams(r));
            byWork.computeIfAbsent(key, k -> new ArrayList<>()).add(new Side(r, id.get()));
        }

        List<ModelRow> models = new ArrayList<>();
        List<Comparison> tokenizers = new ArrayList<>();
        List<JmhResult> tokenizerSolos = new ArrayList<>();
        List<Comparison> other = new ArrayList<>();
        for (List<Side> sides : byWork.values()) {
            Map<String, Side> ours = new LinkedHashMap<>();
            List<Side> peers = new ArrayList<>();
            for (Side s : sides) {
                if (s.id().subject() == Subject.BERT4J) {
                    ours.putIfAbsent(s.id().variant(), s);
                } else {
                    peers.add(s);
                }
            }
            String area = sides.getFirst().result().area();
            if (area.equals("model")) {
                // Whole models compare variant to variant (bert4jInt8 with onnxruntimeInt8); a peer variant without
                // its bert4j counterpart is listed only among every result.
                for (Side o : ours.values()) {
                    JmhResult ort = peers.stream().filter(p -> p.id().subject() == Subject.ONNXRUNTIME
                            && p.id().variant().equals(o.id().variant())).map(Side::result).findFirst().orElse(null);
                    models.add(ModelRow.of(o.id().variant(), o.result(), ort));
                }
                continue;
            }
            List<JmhResult> solos = area.equals("tokenizer") ? tokenizerSolos : unidentified;
            List<Side> compared = new ArrayList<>();
            for (Side p : peers) {
                // A peer variant (huggingFaceIdsOnly) compares with bert4j's same variant, else with plain bert4j.
                Side o = ours.getOrDefault(p.id().variant(), ours.get(""));
                if (o == null) {
                    solos.add(p.result());
                    continue;
                }
                compared.add(o);
                Comparison c = new Comparison(p.id().variant(), o.id().sharedParams(o.result()), o.result(),
                        p.result(), p.id().subject());
                (area.equals("tokenizer") ? tokenizers : other).add(c);
            }
            for (Side o : ours.values()) {
                if (!compared.contains(o)) {
                    solos.add(o.result());
                }
            }
        }
        models.sort(Comparator.comparing(ModelRow::model).thenComparing(ModelRow::variant)
                .thenComparingDouble(m -> m.gflopPerBatch().orElse(Double.MAX_VALUE)));

        List<GemmRow> gemm = gemmRows(unidentified);
        List<JmhResult> inGemm = gemm.stream().flatMap(g -> Stream.of(g.java(), g.openBlas())).toList();
        List<JmhResult> kernels = unidentified.stream()
                .filter(r -> r.metric("gflop").isPresent() && !inGemm.contains(r)).toList();
        SortedMap<Integer, Double> measuredPeak = new TreeMap<>();
        for (JmhResult r : results) {
            if (r.className().equals("PeakFlopsBenchmark") && r.metric("gflop").isPresent()) {
                measuredPeak.merge(r.threads(), r.metric("gflop").get().perSecond(), Math::max);
            }
        }
        return new Analysis(List.copyOf(results), models, tokenizers, tokenizerSolos, other, gemm, kernels,
                Collections.unmodifiableSortedMap(measuredPeak));
    }

    /**
     * The measured peak with the most threads, if {@code PeakFlopsBenchmark} ran: what the whole machine gave to
     * pure FMAs during this run, contention included, which is what the multi-threaded benchmarks met too.
     */
    public OptionalDouble machinePeak() {
        return measuredPeak.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(measuredPeak.get(measuredPeak.lastKey()));
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
