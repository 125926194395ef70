package org.bert4j.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Writes the Markdown report of one run: machine facts, the headline ratios, the chart, then every table. */
public final class MarkdownReport {

    private final Analysis a;
    private final Machine machine;
    private final FpPeak peak;
    private final RunInfo run;
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport(Analysis a, Machine machine, FpPeak peak, RunInfo run) {
        this.a = a;
        this.machine = machine;
        this.peak = peak;
        this.run = run;
    }

    /** The report; {@code chartFile} is the SVG's name, relative to the report (it sits beside it). */
    public static String render(Analysis a, Machine machine, FpPeak peak, RunInfo run, String chartFile) {
        MarkdownReport r = new MarkdownReport(a, machine, peak, run);
        r.header();
        r.summary();
        r.line("![bert4j vs onnxruntime and Hugging Face tokenizers](" + chartFile + ")");
        r.line("");
        r.models();
        r.tokenizers();
        r.gemm();
        r.kernels();
        r.otherComparisons();
        r.appendices();
        r.everyResult();
        r.method();
        return r.out.toString();
    }

    private void header() {
        line("# bert4j benchmarks, " + run.date());
        line("");
        line("| | |");
        line("|---|---|");
        row("CPU", machine.describe());
        row("FP32 peak", peak.formula() + " (" + peak.microarchitecture() + "; clock: the mean `cpu MHz` of "
                + "/proc/cpuinfo, which in this KVM guest is the nominal clock: the cores may boost above it)");
        if (!a.measuredPeak().isEmpty()) {
            String byThreads = a.measuredPeak().entrySet().stream().map(e -> {
                FpPeak nominal = peak.onCores(e.getKey());
                return String.format(Locale.ROOT, "%s GFLOP/s on %d %s = %s of %s nominal %s (as if at %.2f GHz)",
                        Numbers.fmt(e.getValue()), e.getKey(), e.getKey() == 1 ? "thread" : "threads",
                        Numbers.percent(OptionalDouble.of(e.getValue() / nominal.gflops())),
                        e.getKey() == 1 ? "one core's" : "their", Numbers.fmt(nominal.gflops()),
                        nominal.impliedGhz(e.getValue()));
            }).collect(Collectors.joining("; "));
            row("measured FP32 peak", byThreads + ". PeakFlopsBenchmark: independent Vector API FMA chains, run during "
                    + "this profile, so under the same load; below 100%, other work held the cores or their clock was low");
        }
        row("JDK", jdk());
        row("commit", "`" + run.commit() + "`");
        row("started", run.started());
        row("profile", "`" + run.profile() + "`, " + a.all().size() + " results in "
                + Numbers.duration(run.runtimeSeconds()) + " (build excluded)");
        row("machine load", String.format(Locale.ROOT,
                "1-minute load average during the run: mean %s, max %s, over %d samples, on %d logical processors. "
                        + "The benchmark itself accounts for up to %d of it; the rest is other work sharing the machine, "
                        + "so absolute numbers are noisy: compare the ratios, measured in the same run.",
                Numbers.fmt(run.meanLoad()), Numbers.fmt(run.maxLoad()), run.load().size(), machine.processors(),
                machine.processors()));
        line("");
        if (!run.failures().isEmpty()) {
            line("**Failed benchmark runs** (their results are missing below):");
            line("");
            for (String f : run.failures()) {
                line("- " + f);
            }
            line("");
        }
    }

    private String jdk() {
        Set<String> versions = a.all().stream().map(r -> r.vmVersion().isEmpty() ? r.jdkVersion() : r.vmVersion())
                .collect(Collectors.toCollection(TreeSet::new));
        return versions.isEmpty() ? System.getProperty("java.vm.version") : String.join(", ", versions);
    }

    private void summary() {
        List<String> bullets = new ArrayList<>();
        for (ModelRow m : a.models()) {
            if (m.peer() != null) {
                bullets.add(String.format("%s: bert4j %s, onnxruntime %s: **bert4j / onnxruntime %s**", m.label(),
                        rate(m.oursSentencesPerSecond(), m.ours()), rate(m.peerSentencesPerSecond(), m.peer()),
                        Numbers.ratio(m.ratio())));
            } else {
                bullets.add(String.format("%s: bert4j %s (%s ms per batch)%s", m.label(),
                        rate(m.oursSentencesPerSecond(), m.ours()), Numbers.fmt(m.oursMillisPerBatch()),
                        m.oursGflops().isPresent() ? ", " + Numbers.fmt(m.oursGflops()) + " GFLOP/s = **"
                                + Numbers.percent(m.fractionOfPeak(peak)) + " of the FP32 peak**" + ofMeasured(m) : ""));
            }
        }
        for (Comparison c : a.tokenizers()) {
            bullets.add(String.format("tokenizer, %s: bert4j %s, %s %s: **bert4j / %s %s**",
                    TokenizerRates.label(c.ours(), c.params()), mbOrCalls(c.ours()), c.peerName(), mbOrCalls(c.peer()),
                    c.peerName(), Numbers.ratio(c.ratio())));
        }
        if (!a.gemm().isEmpty()) {
            double logSum = 0;
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (GemmRow g : a.gemm()) {
                logSum += Math.log(g.ratio());
                lo = Math.min(lo, g.ratio());
                hi = Math.max(hi, g.ratio());
            }
            bullets.add(String.format("GEMM, pure Java / OpenBLAS: geometric mean **%s** over %d shapes (from %s to %s)",
                    Numbers.ratio(Math.exp(logSum / a.gemm().size())), a.gemm().size(), Numbers.ratio(lo),
                    Numbers.ratio(hi)));
            double best = a.gemm().stream().mapToDouble(g -> Math.max(g.javaGflops(), g.openBlasGflops()))
                    .filter(Double::isFinite).max().orElse(Double.NaN);
            String implied = best > peak.gflops() ? String.format(Locale.ROOT,
                    " (above the nominal peak: the cores ran at %.2f GHz or more)", peak.impliedGhz(best)) : "";
            bullets.add("best GEMM: " + Numbers.fmt(best) + " GFLOP/s = "
                    + Numbers.percent(OptionalDouble.of(best / peak.gflops())) + " of the FP32 peak" + implied);
        }
        if (bullets.isEmpty()) {
            return;
        }
        line("## Summary");
        line("");
        for (String b : bullets) {
            line("- " + b);
        }
        line("");
    }

    /** ", 61% of the measured peak" when PeakFlopsBenchmark ran. */
    private String ofMeasured(ModelRow m) {
        if (a.machinePeak().isEmpty() || m.oursGflops().isEmpty()) {
            return "";
        }
        return ", " + Numbers.percent(OptionalDouble.of(m.oursGflops().getAsDouble() / a.machinePeak().getAsDouble()))
                + " of the measured peak";
    }

    private static String mbOrCalls(JmhResult r) {
        OptionalDouble mb = TokenizerRates.mbPerSecond(r);
        return mb.isPresent() ? Numbers.fmt(mb.getAsDouble()) + " MB/s" : Numbers.fmt(r.primary().perSecond()) + " calls/s";
    }

    private static String rate(OptionalDouble sentences, JmhResult r) {
        return sentences.isPresent() ? Numbers.fmt(sentences.getAsDouble()) + " sentences/s"
                : Numbers.fmt(r.primary().perSecond()) + " batches/s";
    }

    private void models() {
        if (a.models().isEmpty()) {
            return;
        }
        line("## Whole model: bert4j vs onnxruntime");
        line("");
        line("Forward pass + mean pooling on the same token ids, in the same JMH run, with the same thread count. "
                + "The ratio is bert4j's rate over onnxruntime's (above 1: bert4j is faster). GFLOP per batch counts "
                + "the projections, feed-forward and attention matrix products (see *How the numbers are made*).");
        line("");
        line("| model | batch | bert4j sentences/s | onnxruntime sentences/s | bert4j / onnxruntime | bert4j ms/batch "
                + "| onnxruntime ms/batch | GFLOP/batch | bert4j GFLOP/s | of FP32 peak | of measured peak "
                + "| other parameters |");
        line("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        for (ModelRow m : a.models()) {
            Map<String, String> rest = new TreeMap<>(m.ours().params());
            rest.keySet().removeAll(List.of("shape", "model", "batch", "tokens"));
            line("| " + String.join(" | ", m.model() + (m.variant().isEmpty() ? "" : " " + m.variant()),
                    m.workload().label(), Numbers.fmt(m.oursSentencesPerSecond()), Numbers.fmt(m.peerSentencesPerSecond()),
                    Numbers.ratio(m.ratio()), Numbers.fmt(m.oursMillisPerBatch()), Numbers.fmt(m.peerMillisPerBatch()),
                    Numbers.fmt(m.gflopPerBatch()), Numbers.fmt(m.oursGflops()), Numbers.percent(m.fractionOfPeak(peak)),
                    a.machinePeak().isPresent() && m.oursGflops().isPresent() ? Numbers.percent(OptionalDouble.of(
                            m.oursGflops().getAsDouble() / a.machinePeak().getAsDouble())) : "—",
                    params(rest)) + " |");
        }
        line("");
    }

    private void tokenizers() {
        if (a.tokenizers().isEmpty() && a.tokenizerSolos().isEmpty()) {
            return;
        }
        line("## Tokenizer: bert4j vs Hugging Face tokenizers (Rust, through DJL)");
        line("");
        line("The same texts through both tokenizers. The ratio is bert4j's rate over the peer's (above 1: bert4j "
                + "is faster); MB/s counts the UTF-8 bytes of the input.");
        line("");
        line("| input | bert4j MB/s | peer | peer MB/s | bert4j / peer | bert4j calls/s | peer calls/s |");
        line("|---|--:|---|--:|--:|--:|--:|");
        for (Comparison c : a.tokenizers()) {
            line("| " + String.join(" | ", TokenizerRates.label(c.ours(), c.params()),
                    Numbers.fmt(TokenizerRates.mbPerSecond(c.ours())), c.peerName(),
                    Numbers.fmt(TokenizerRates.mbPerSecond(c.peer())), Numbers.ratio(c.ratio()),
                    Numbers.fmt(c.ours().primary().perSecond()), Numbers.fmt(c.peer().primary().perSecond())) + " |");
        }
        for (JmhResult r : a.tokenizerSolos()) {
            line("| " + String.join(" | ", r.method() + " " + params(r.params()),
                    Numbers.fmt(TokenizerRates.mbPerSecond(r)), "(no peer)", "—", "—",
                    Numbers.fmt(r.primary().perSecond()), "—") + " |");
        }
        line("");
    }

    private void gemm() {
        if (a.gemm().isEmpty()) {
            return;
        }
        line("## GEMM: pure Java (Vector API) vs OpenBLAS");
        line("");
        line("y[tokens × out] = x[tokens × in] · Wᵀ + b with the weight packed once, as the engine runs its Linear "
                + "layers. GFLOP/s = 2 · tokens · in · out per call. The ratio is Java over OpenBLAS (above 1: the "
                + "Java kernel is faster).");
        line("");
        line("| in × out | tokens | Java GFLOP/s | OpenBLAS GFLOP/s | Java / OpenBLAS | other parameters |");
        line("|---|--:|--:|--:|--:|---|");
        // In JMH's order: the shapes and token counts as the profile lists them.
        for (GemmRow g : a.gemm()) {
            Map<String, String> rest = new TreeMap<>(g.params());
            String shape = rest.remove("shape");
            String tokens = rest.remove("tokens");
            line("| " + String.join(" | ", shape == null ? "—" : shape.replace("x", " × "),
                    tokens == null ? "—" : tokens, Numbers.fmt(g.javaGflops()), Numbers.fmt(g.openBlasGflops()),
                    Numbers.ratio(g.ratio()), params(rest)) + " |");
        }
        line("");
    }

    private void kernels() {
        if (a.kernels().isEmpty()) {
            return;
        }
        line("## Other kernels");
        line("");
        line("| benchmark | parameters | threads | GFLOP/s | calls/s |");
        line("|---|---|--:|--:|--:|");
        for (JmhResult r : a.kernels()) {
            line("| " + String.join(" | ", r.className() + "." + r.method(), params(r.params()),
                    Integer.toString(r.threads()),
                    Numbers.fmt(GemmRow.gflops(r)), Numbers.fmt(r.primary().perSecond())) + " |");
        }
        line("");
    }

    private void otherComparisons() {
        if (a.otherComparisons().isEmpty()) {
            return;
        }
        line("## Other comparisons");
        line("");
        line("| benchmark | variant and parameters | bert4j calls/s | peer calls/s | bert4j / peer | peer |");
        line("|---|---|--:|--:|--:|---|");
        for (Comparison c : a.otherComparisons()) {
            line("| " + String.join(" | ", c.ours().className(), (c.variant() + " " + c.paramText()).trim(),
                    Numbers.fmt(c.ours().primary().perSecond()), Numbers.fmt(c.peer().primary().perSecond()),
                    Numbers.ratio(c.ratio()), c.peerIs().label()) + " |");
        }
        line("");
    }

    private void appendices() {
        for (RunInfo.Appendix appendix : run.appendices()) {
            line("## " + appendix.name() + " (its own output)");
            line("");
            line("Printed by `" + appendix.name() + "`, run by the profile after the JMH benchmarks.");
            line("");
            out.append(keepTablesWhole(appendix.markdown().strip())).append("\n\n");
        }
    }

    /**
     * Moves the text lines a program printed between the rows of a table to just after the table (Markdown ends a
     * table at the first line that is not a row, so a row printed after such a line would show as plain text), and
     * puts a blank line before each table (which may not start inside a paragraph).
     */
    static String keepTablesWhole(String markdown) {
        List<String> out = new ArrayList<>();
        List<String> held = new ArrayList<>();
        boolean inTable = false;
        for (String line : markdown.split("\n", -1)) {
            boolean row = line.startsWith("|");
            if (row) {
                if (!inTable && !out.isEmpty() && !out.getLast().isBlank()) {
                    out.add("");
                }
                inTable = true;
                out.add(line);
            } else if (inTable && !line.isBlank()) {
                held.add(line);
            } else {
                if (inTable) {
                    out.add("");
                    out.addAll(held);
                    held.clear();
                }
                inTable = false;
                out.add(line);
            }
        }
        if (!held.isEmpty()) {
            out.add("");
            out.addAll(held);
        }
        return String.join("\n", out);
    }

    private void everyResult() {
        line("## Every result");
        line("");
        line("JMH's scores as measured; ± is JMH's 99.9% confidence half-width (absent when a profile runs too few "
                + "iterations for one).");
        line("");
        line("| benchmark | parameters | threads | mode | score | unit | secondary |");
        line("|---|---|--:|---|--:|---|---|");
        for (JmhResult r : a.all()) {
            String secondary = r.secondary().entrySet().stream()
                    .map(e -> e.getKey() + " " + Numbers.withError(e.getValue()) + " " + e.getValue().unit())
                    .collect(Collectors.joining("; "));
            line("| " + String.join(" | ", r.className() + "." + r.method(), params(r.params()),
                    Integer.toString(r.threads()), r.mode(),
                    Numbers.withError(r.primary()), r.primary().unit(), secondary) + " |");
        }
        line("");
    }

    private void method() {
        line("## How the numbers are made");
        line("");
        line("- Command: `" + run.command() + "`. It builds the benchmarks, then runs every JMH benchmark class with "
                + "the options `benchmarks/profiles/" + run.profile() + ".txt` gives it (iterations, times, forks, "
                + "a subset of `@Param` values), writes JMH's JSON, and turns it into this page and its chart "
                + "(`org.bert4j.bench.report.Report`).");
        line("- Each comparison's two sides run in the same JMH run, one after the other, in separate forked JVMs "
                + "with the same flags, on the same inputs and thread count. The machine is shared, so a side may "
                + "have met more load than the other: ratios are more trustworthy than absolute numbers, and a ratio "
                + "within ~10% of 1 is a tie.");
        line("- FP32 peak: " + peak.formula() + ". " + peak.microarchitecture() + "; the clock is the mean "
                + "`cpu MHz` of /proc/cpuinfo (" + Numbers.fmt(machine.mhz()) + " MHz).");
        line("- Forward-pass FLOPs (multiply-add = 2 FLOP), per layer: 2 · tokens · (4·H² + 2·H·I) for the fused "
                + "QKV, output and feed-forward projections, plus 4 · T² · H per sequence of T tokens for Q·Kᵀ and "
                + "P·V. Embeddings, LayerNorm, softmax, GELU and pooling are left out (under 1%). Sizes: "
                + BertSize.known().stream().map(s -> s.name() + " " + s.layers() + " layers, H = " + s.hidden()
                + ", I = " + s.intermediate()).collect(Collectors.joining("; ")) + ".");
        line("- Sentences/s = batches/s × sentences per batch. A mixed-length batch has no single FLOP count here, "
                + "so its GFLOP/s is left blank.");
        line("");
    }

    private static String params(Map<String, String> params) {
        return params.isEmpty() ? "" : params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private void row(String key, String value) {
        line("| " + key + " | " + value.replace("|", "\\|") + " |");
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
