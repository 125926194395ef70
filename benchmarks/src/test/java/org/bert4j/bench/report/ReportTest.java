package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bert4j.bench.report.Samples.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @Test
    void writesTheReportTheChartAndTheMergedResultsOfARealRun(@TempDir Path dir) throws Exception {
        Path gemm = Samples.file(dir, "jmh-gemm.json");
        Path gelu = Samples.file(dir, "jmh-elementwise.json");
        Path load = Files.writeString(dir.resolve("load.txt"), "3.50 2.00 1.00 3/200 123\n4.50 2.10 1.00 2/200 124\n");

        Path md = Report.run(new String[] {"--out", dir.resolve("results").toString(), "--date", "2026-11-27",
                "--commit", "abc1234", "--profile", "quick", "--runtime", "125", "--load", load.toString(),
                gemm.toString(), gelu.toString()});

        String report = Files.readString(md);
        assertEquals(dir.resolve("results/2026-11-27.md"), md);
        assertTrue(report.contains("| commit | `abc1234` |"), report);
        assertTrue(report.contains("mean 4.00, max 4.50, over 2 samples"), report);
        assertTrue(report.contains("5 results in 2 min 5 s"), report);
        assertTrue(report.contains("| 384 × 1152 | 16 | 12.8 | 3.17 | ×4.04 | threads=0 |"), report);
        assertTrue(report.contains("![bert4j vs onnxruntime and Hugging Face tokenizers](2026-11-27.svg)"), report);
        assertTrue(report.contains("ElementwiseBenchmark.gelu | hidden=384 tokens=512 | 1 | avgt | 69840 | us/op"), report);
        assertTrue(report.contains("GFLOP/s"), report);

        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("results/2026-11-27.svg").toFile());
        assertEquals(5, JmhJson.read(dir.resolve("results/2026-11-27.json")).size());
    }

    @Test
    void theSummaryGivesEachModelRatioAndTheFractionOfPeak() {
        Analysis a = Analysis.of(List.of(
                result("model.MiniLmBenchmark.bert4j", 2.0, "ops/s", "shape", "32x128"),
                result("model.MiniLmBenchmark.onnxruntime", 1.6, "ops/s", "shape", "32x128"),
                result("model.BertBaseBenchmark.bert4j", 2000, "ms/op", "shape", "8x128"),
                Samples.onThreads(result("kernels.PeakFlopsBenchmark.fmaChains", 2e5, "ops/s",
                        java.util.Map.of("gflop", new Metric(178.8, Double.NaN, "ops/s"))), 2)));
        Machine machine = Machine.parseCpuinfo(Samples.text("cpuinfo-epyc-kvm.txt"));
        RunInfo run = new RunInfo("2026-11-27", "2026-11-27 05:00 UTC", "abc1234", "full", "benchmarks/run full",
                600, List.of(2.0), List.of("TokenizerBenchmark (full.txt line 1): JMH failed"),
                List.of(new RunInfo.Appendix("ModelRatio", "| shape | ratio |\n|---|---:|\n| 1x16 | 2.00 |\n")));

        String report = MarkdownReport.render(a, machine, FpPeak.of(machine), run, "2026-11-27.svg");

        assertTrue(report.contains("MiniLM-L6 32×128: bert4j 64.0 sentences/s, onnxruntime 51.2 sentences/s: "
                + "**bert4j / onnxruntime ×1.25**"), report);
        // 178.8 GFLOP in 2 s = 89.4 GFLOP/s of a 156.5 GFLOP/s peak.
        assertTrue(report.contains("bert-base 8×128: bert4j 4.00 sentences/s (2000 ms per batch), 89.4 GFLOP/s = "
                + "**57.1% of the FP32 peak**, 50.0% of the measured peak"), report);
        assertTrue(report.contains("| measured FP32 peak | 179 GFLOP/s on 2 threads = 114.2% of their nominal 157 "
                + "(as if at 2.79 GHz). PeakFlopsBenchmark:"), report);
        assertTrue(report.contains("| MiniLM-L6 | 32×128 | 64.0 | 51.2 | ×1.25 | 500 | 625 |"), report);
        assertTrue(report.contains("- TokenizerBenchmark (full.txt line 1): JMH failed"), report);
        assertTrue(report.contains("## ModelRatio (its own output)"), report);
        assertTrue(report.contains("| shape | ratio |\n|---|---:|\n| 1x16 | 2.00 |\n\n"), report);
    }

    @Test
    void aProgramsTextPrintedBetweenTableRowsMovesBelowTheTable() {
        String printed = "model loaded\n| shape | ms |\n|---|---:|\n| 1x16 | 7 |\nseed lengths: [53, 51]\n| seed | 338 |\n";

        assertEquals("model loaded\n\n| shape | ms |\n|---|---:|\n| 1x16 | 7 |\n| seed | 338 |\n\nseed lengths: [53, 51]",
                MarkdownReport.keepTablesWhole(printed.strip()));
    }

    @Test
    void aMissingOptionIsAnErrorSayingWhichAndTheUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Report.run(new String[] {"--out", "x", "--date", "2026-11-27", "--profile", "quick"}));
        assertTrue(e.getMessage().startsWith("missing --commit; usage: Report --out DIR"), e.getMessage());
    }
}
