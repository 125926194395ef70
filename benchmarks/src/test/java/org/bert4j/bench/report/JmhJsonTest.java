package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhJsonTest {

    @Test
    void readsEveryRowOfARealThroughputFileWithParamsAndTheGflopCounter() {
        List<JmhResult> results = JmhJson.parse(Samples.text("jmh-gemm.json"));

        assertEquals(4, results.size());
        JmhResult first = results.getFirst();
        assertEquals("org.bert4j.bench.kernels.GemmBenchmark.linear", first.benchmark());
        assertEquals("GemmBenchmark", first.className());
        assertEquals("kernels", first.area());
        assertEquals("linear", first.method());
        assertEquals("thrpt", first.mode());
        assertEquals(Map.of("backend", "java", "shape", "384x1152", "threads", "0", "tokens", "16"), first.params());
        assertEquals(List.of("backend", "shape", "threads", "tokens"), List.copyOf(first.params().keySet()),
                "parameters keep JMH's order");
        assertEquals(904.4007384726315, first.primary().score());
        assertEquals("ops/s", first.primary().unit());
        assertEquals(12.80249426805342, first.metric("gflop").orElseThrow().score());
        assertEquals("25.0.3", first.jdkVersion());
        assertEquals("25.0.3+9-LTS", first.vmVersion());
    }

    @Test
    void anErrorJmhCouldNotComputeIsNaNNotAFailure() {
        JmhResult first = JmhJson.parse(Samples.text("jmh-gemm.json")).getFirst();

        assertTrue(Double.isNaN(first.primary().error()));
    }

    @Test
    void readsARealAverageTimeFileAsARate() {
        JmhResult gelu = JmhJson.parse(Samples.text("jmh-elementwise.json")).getFirst();

        assertEquals("avgt", gelu.mode());
        assertEquals("us/op", gelu.primary().unit());
        assertTrue(gelu.secondary().isEmpty());
        assertEquals(1e6 / 69840.05226715686, gelu.primary().perSecond(), 1e-9);
    }

    @Test
    void aFileThatIsNotAResultArrayIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"benchmark\": \"x\"}");

        IOException e = assertThrows(IOException.class, () -> JmhJson.read(file));

        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
        assertTrue(e.getMessage().contains("array"), e.getMessage());
    }

    @Test
    void aResultWithoutAScoreNamesTheBenchmark() {
        String json = "[{\"benchmark\": \"org.x.FooBenchmark.bar\", \"mode\": \"thrpt\", \"primaryMetric\": "
                + "{\"scoreUnit\": \"ops/s\"}}]";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhJson.parse(json));

        assertTrue(e.getMessage().contains("org.x.FooBenchmark.bar"), e.getMessage());
        assertTrue(e.getMessage().contains("score"), e.getMessage());
    }
}
