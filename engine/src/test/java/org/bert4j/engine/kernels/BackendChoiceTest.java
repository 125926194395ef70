package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auto backend's choice from timings, with made-up timings (deterministic, whatever the machine does), the
 * timing procedure with a made-up timer, the cache file, and the routing of calls by the choice.
 */
class BackendChoiceTest {

    private static final int[] ROWS = BackendChoice.ROWS;   // 16, 64, 256, 1024, 4096

    private static BackendChoice.Timing timing(long[] java, long[] openBlas) {
        return new BackendChoice.Timing(1152, 384, ROWS, java, openBlas);
    }

    @Test
    void javaWhereItIsFasterOpenBlasFromWhereOpenBlasIs() {
        // Java faster up to 256 rows, OpenBLAS from 1024: the line falls between, at √(256·1024) = 512.
        var t = timing(new long[] {10, 40, 150, 800, 3200}, new long[] {30, 60, 200, 600, 2400});
        assertEquals(512, t.openBlasFromRows());
        BackendChoice choice = BackendChoice.measured(List.of(t), 384, "test");
        assertTrue(choice.useJava(1152, 384, 16));
        assertTrue(choice.useJava(1152, 384, 511));
        assertFalse(choice.useJava(1152, 384, 512));
        assertFalse(choice.useJava(1152, 384, 8 * 512));
    }

    @Test
    void aShapeWhereJavaIsNeverSlowerStaysOnJavaAtEverySize() {
        var t = timing(new long[] {10, 40, 150, 600, 2400}, new long[] {30, 60, 200, 800, 3200});
        assertEquals(Integer.MAX_VALUE, t.openBlasFromRows());
        assertTrue(BackendChoice.measured(List.of(t), 384, "test").useJava(1152, 384, 1 << 20));
    }

    @Test
    void aShapeWhereOpenBlasIsAlwaysFasterGoesToOpenBlasAtEverySize() {
        var t = timing(new long[] {20, 80, 300, 1200, 4800}, new long[] {10, 40, 150, 600, 2400});
        assertEquals(0, t.openBlasFromRows());
        assertFalse(BackendChoice.measured(List.of(t), 384, "test").useJava(1152, 384, 1));
    }

    @Test
    void javaWithinTheTieMarginKeepsTheCall() {
        // 2% slower: within noise, the Java GEMM keeps every size.
        var t = timing(new long[] {102, 408, 1530, 6120, 24480}, new long[] {100, 400, 1500, 6000, 24000});
        assertEquals(Integer.MAX_VALUE, t.openBlasFromRows());
    }

    @Test
    void oneNoisySizeDoesNotSplitTheLineInTwo() {
        // OpenBLAS won at 64 rows only, by a little (a disturbed Java turn): one line, drawn where the most time is.
        var t = timing(new long[] {10, 50, 150, 800, 3200}, new long[] {30, 45, 200, 600, 2400});
        assertEquals(512, t.openBlasFromRows());
    }

    @Test
    void aShapeNotTimedGetsTheFallbackLineAndAFixedChoiceAppliesToEveryShape() {
        var t = timing(new long[] {10, 40, 150, 600, 2400}, new long[] {30, 60, 200, 800, 3200});
        BackendChoice choice = BackendChoice.measured(List.of(t), 384, "test");
        assertTrue(choice.useJava(7, 9, 383));
        assertFalse(choice.useJava(7, 9, 384));
        BackendChoice fixed = BackendChoice.fixed(100);
        assertTrue(fixed.useJava(1152, 384, 99));
        assertFalse(fixed.useJava(1152, 384, 100));
        assertTrue(fixed.describe().contains("java below 100 rows"), fixed.describe());
    }

    @Test
    void theDescriptionNamesEachShapesLineAndItsTimings() {
        var t = timing(new long[] {10_000, 40_000, 150_000, 800_000, 3_200_000},
                new long[] {30_000, 60_000, 200_000, 600_000, 2_400_000});
        String text = BackendChoice.measured(List.of(t), 384, "at load").describe();
        assertTrue(text.contains("1152 × 384: java below 512 rows, openblas from 512"), text);
        assertTrue(text.contains("1024 rows 0.800 / 0.600"), text);
        assertTrue(text.contains("measured: at load"), text);
    }

    @Test
    void badTimingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> timing(new long[] {1, 2}, new long[] {1, 2, 3, 4, 5}));
        assertThrows(IllegalArgumentException.class,
                () -> new BackendChoice.Timing(1, 1, new int[] {64, 16}, new long[] {1, 1}, new long[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> timing(new long[] {1, 2, 0, 4, 5}, new long[] {1, 2, 3, 4, 5}));
    }

    @Test
    void timingKeepsEachBackendsBestTurnAndAlternatesWhoGoesFirst() {
        List<String> calls = new ArrayList<>();
        SplittableRandom noise = new SplittableRandom(1);
        BackendTiming.Timer timer = (java, out, in, rows) -> {
            calls.add((java ? "java " : "openblas ") + out + "x" + in + "@" + rows);
            // Java costs rows·10 and OpenBLAS 500 + rows·5, each turn up to 10% slower by chance.
            double base = java ? rows * 10.0 : 500 + rows * 5.0;
            return (long) (base * (1 + noise.nextDouble() / 10));
        };
        List<BackendChoice.Timing> timings = BackendTiming.measure(List.of(new int[] {1152, 384}), ROWS, timer);
        BackendChoice.Timing t = timings.get(0);
        assertArrayEquals(ROWS, t.rows());
        for (int i = 0; i < ROWS.length; i++) {
            assertTrue(t.java()[i] >= ROWS[i] * 10L && t.java()[i] <= ROWS[i] * 11L);
            assertTrue(t.openBlas()[i] >= 500 + ROWS[i] * 5L && t.openBlas()[i] <= (500 + ROWS[i] * 5L) * 11 / 10);
        }
        assertEquals("java 1152x384@16", calls.get(0));
        assertEquals("openblas 1152x384@16", calls.get(2));
        int turns = 0;
        for (int rows : ROWS) {
            turns += BackendTiming.PASSES * 2 * BackendTiming.rounds(rows);
        }
        assertEquals(turns, calls.size());
        // Java: 10·rows; OpenBLAS 500 + 5·rows: they cross at 100 rows, between the timed 64 and 256.
        assertEquals(128, t.openBlasFromRows());
    }

    @TempDir
    Path dir;

    private static final BackendChoiceCache.Key KEY = new BackendChoiceCache.Key("Some CPU", "25+36", "0.1 built x",
            "OpenBLAS 0.3.31 Haswell", "unset", "vector-512", 2);

    @Test
    void timingsSurviveTheCacheFileAndAnotherKeyReadsNothing() {
        var t = timing(new long[] {10, 40, 150, 800, 3200}, new long[] {30, 60, 200, 600, 2400});
        var u = new BackendChoice.Timing(384, 1536, ROWS, new long[] {1, 2, 3, 4, 5}, new long[] {5, 4, 3, 2, 1});
        Path file = BackendChoiceCache.file(dir, KEY);
        assertTrue(BackendChoiceCache.write(file, KEY, List.of(t, u)));
        List<BackendChoice.Timing> back = BackendChoiceCache.read(file, KEY);
        assertEquals(2, back.size());
        for (BackendChoice.Timing b : back) {
            BackendChoice.Timing original = b.out() == 1152 ? t : u;
            assertEquals(original.in(), b.in());
            assertArrayEquals(original.rows(), b.rows());
            assertArrayEquals(original.java(), b.java());
            assertArrayEquals(original.openBlas(), b.openBlas());
        }
        var haswell = new BackendChoiceCache.Key("Some CPU", "25+36", "0.1 built x", "OpenBLAS 0.3.31 Haswell",
                "Haswell", "vector-512", 2);
        assertEquals(List.of(), BackendChoiceCache.read(file, haswell), "OPENBLAS_CORETYPE set: measure again");
        assertTrue(!BackendChoiceCache.file(dir, haswell).equals(file), "each key has its own file");
        var otherJdk = new BackendChoiceCache.Key("Some CPU", "26", "0.1 built x", "OpenBLAS 0.3.31 Haswell",
                "unset", "vector-512", 2);
        assertEquals(List.of(), BackendChoiceCache.read(file, otherJdk));
    }

    @Test
    void aMissingOrCorruptCacheFileReadsAsNothingToMeasureAgain() throws IOException {
        Path file = BackendChoiceCache.file(dir, KEY);
        assertEquals(List.of(), BackendChoiceCache.read(file, KEY));
        var t = timing(new long[] {10, 40, 150, 800, 3200}, new long[] {30, 60, 200, 600, 2400});
        assertTrue(BackendChoiceCache.write(file, KEY, List.of(t)));
        String text = Files.readString(file);
        Files.writeString(file, text.replace("shape.1152x384.java=10,40", "shape.1152x384.java=10,x"));
        assertEquals(List.of(), BackendChoiceCache.read(file, KEY));
        Files.writeString(file, text.replace("shape.1152x384.openblas=30,60,200,600,2400", "shape.1152x384.openblas=30"));
        assertEquals(List.of(), BackendChoiceCache.read(file, KEY));
        Files.write(file, new byte[] {(byte) 0xff, '\\', 'u', 'x'});
        assertEquals(List.of(), BackendChoiceCache.read(file, KEY));
    }

    @Test
    void aCacheFolderThatCannotBeWrittenIsNotAnError() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertFalse(BackendChoiceCache.write(notAFolder.resolve("sub").resolve("x.properties"), KEY, List.of()));
    }

    @Test
    void autoRoutesEachShapeByItsOwnLine() {
        Kernels kernels = Kernels.vector(256);
        try (ComputePool pool = ComputePool.create(1)) {
            routesEachShapeByItsOwnLine(kernels, pool);
        }
    }

    private static void routesEachShapeByItsOwnLine(Kernels kernels, ComputePool pool) {
        // 16 × 40: OpenBLAS from 128 rows; 24 × 40: Java at every size.
        var small = new BackendChoice.Timing(16, 40, new int[] {64, 256}, new long[] {1, 10}, new long[] {2, 5});
        var other = new BackendChoice.Timing(24, 40, new int[] {64, 256}, new long[] {1, 1}, new long[] {2, 2});
        Gemm auto = new AutoGemm(kernels.gemm(pool), Backends.openBlas(kernels, pool),
                BackendChoice.measured(List.of(small, other), 384, "test"));
        Gemm java = kernels.gemm(pool);
        Gemm openBlas = Backends.openBlas(kernels, pool);
        SplittableRandom random = new SplittableRandom(4);
        for (int out : new int[] {16, 24}) {
            float[] weight = Reference.random(random, out * 40, 1);
            PackedWeight w = auto.pack(weight, out, 40);
            for (int rows : new int[] {127, 128, 300}) {
                float[] x = Reference.random(random, rows * 40, 1);
                float[] y = new float[rows * out];
                auto.linear(x, rows, w, null, y);
                Gemm expected = out == 16 && rows >= 128 ? openBlas : java;
                float[] z = new float[rows * out];
                expected.linear(x, rows, expected.pack(weight, out, 40), null, z);
                assertArrayEquals(z, y, out + " × 40 at " + rows + " rows goes to " + expected.name());
            }
        }
    }
}
