package org.bert4j.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Builds the report's chart: sentences per second per shape (bert4j beside onnxruntime), then tokenizer MB/s. */
final class Charts {

    private Charts() {
    }

    static SvgChart of(Analysis a, RunInfo run, FpPeak peak) {
        SvgChart chart = new SvgChart("bert4j benchmarks, " + run.date() + " (" + run.profile() + " profile, "
                + run.commit() + ")");
        List<SvgChart.Group> models = new ArrayList<>();
        for (ModelRow m : a.models()) {
            List<SvgChart.Bar> bars = new ArrayList<>();
            bars.add(bar(Subject.BERT4J.label(), m.oursSentencesPerSecond(), m.ours().primary().perSecond()));
            if (m.peer() != null) {
                bars.add(bar(Subject.ONNXRUNTIME.label(), m.peerSentencesPerSecond(), m.peer().primary().perSecond()));
            }
            String note = m.peer() != null ? "bert4j / onnxruntime " + Numbers.ratio(m.ratio())
                    : m.fractionOfPeak(peak).isPresent()
                    ? Numbers.percent(m.fractionOfPeak(peak)) + " of FP32 peak" : "no peer";
            models.add(new SvgChart.Group(m.label(), bars, note));
        }
        if (!models.isEmpty()) {
            chart.add(new SvgChart.Panel("Whole model: sentences per second (higher is better)",
                    "Forward pass + mean pooling, same token ids and thread count; bars of one shape share a scale.",
                    models));
        }
        // One group per bert4j result, with every peer measured on its input.
        Map<JmhResult, List<Comparison>> byOurs = new LinkedHashMap<>();
        for (Comparison c : a.tokenizers()) {
            byOurs.computeIfAbsent(c.ours(), k -> new ArrayList<>()).add(c);
        }
        List<SvgChart.Group> tokenizers = new ArrayList<>();
        for (List<Comparison> cs : byOurs.values()) {
            Comparison first = cs.getFirst();
            List<SvgChart.Bar> bars = new ArrayList<>();
            bars.add(tokenizerBar(Subject.BERT4J.label(), first.ours(), ""));
            for (Comparison c : cs) {
                bars.add(tokenizerBar(c.peerName(), c.peer(), "  (bert4j " + Numbers.ratio(c.ratio()) + ")"));
            }
            String note = cs.size() == 1 ? "bert4j / " + first.peerName() + " " + Numbers.ratio(first.ratio()) : "";
            tokenizers.add(new SvgChart.Group(TokenizerRates.label(first.ours(), first.params()), bars, note));
        }
        if (!tokenizers.isEmpty()) {
            chart.add(new SvgChart.Panel("Tokenizer: MB of text per second (higher is better)",
                    "Same texts, one thread each; bars of one input share a scale; (bert4j ×r) is bert4j's rate over that bar's.", tokenizers));
        }
        return chart;
    }

    private static SvgChart.Bar bar(String series, OptionalDouble sentences, double batchesPerSecond) {
        return sentences.isPresent()
                ? new SvgChart.Bar(series, sentences.getAsDouble(), Numbers.fmt(sentences.getAsDouble()) + " sentences/s")
                : new SvgChart.Bar(series, batchesPerSecond, Numbers.fmt(batchesPerSecond) + " batches/s");
    }

    private static SvgChart.Bar tokenizerBar(String series, JmhResult r, String suffix) {
        OptionalDouble mb = TokenizerRates.mbPerSecond(r);
        return mb.isPresent()
                ? new SvgChart.Bar(series, mb.getAsDouble(), Numbers.fmt(mb.getAsDouble()) + " MB/s" + suffix)
                : new SvgChart.Bar(series, r.primary().perSecond(), Numbers.fmt(r.primary().perSecond()) + " calls/s" + suffix);
    }
}
