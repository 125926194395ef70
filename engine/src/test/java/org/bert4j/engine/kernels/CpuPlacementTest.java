package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A helper moves off its caller's CPU (Linux, where the thread may run on two CPUs or more). The CPUs are read from
 * the thread's own affinity mask, not counted from availableProcessors(), which a cgroup quota makes differ from the
 * CPU ids the thread may use; a machine that allows one CPU only skips the test, and says so.
 */
class CpuPlacementTest {

    @Test
    void currentCpuIsOneTheThreadMayRunOn() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "CPU placement exists on Linux only");
        long[] allowed = new CpuPlacement.Helper().allowed();
        assumeTrue(allowed != null, "sched_getaffinity is unavailable here");
        int cpu = CpuPlacement.currentCpu();
        assertTrue(cpu >= 0 && isSet(allowed, cpu), "sched_getcpu: " + cpu + " is not in the affinity mask");
    }

    @Test
    void aHelperOnTheCallersCpuMovesOffItAndNeverLosesMoreThanThatCpu() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "CPU placement exists on Linux only");
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicReference<String> skipped = new AtomicReference<>();
        Thread helper = new Thread(() -> {
            try {
                CpuPlacement.Helper placement = new CpuPlacement.Helper();
                long[] allowed = placement.allowed();
                if (allowed == null || count(allowed) < 2) {
                    skipped.set(allowed == null ? "no affinity mask" : "the thread may run on one CPU only");
                    return;
                }
                long[] seen = new long[allowed.length];
                for (int trial = 0; trial < 20; trial++) {
                    int here = CpuPlacement.currentCpu();
                    if (!isSet(allowed, here)) {
                        failure.set("trial " + trial + ": on CPU " + here + ", outside the mask it started with");
                        return;
                    }
                    seen[here / 64] |= 1L << (here % 64);
                    placement.avoid(here);   // as if the caller ran on this very CPU
                    int after = CpuPlacement.currentCpu();
                    if (after == here) {
                        failure.set("trial " + trial + ": still on CPU " + here);
                        return;
                    }
                }
                // Each move is computed from the CPUs the thread started with, so hopping goes on between at least
                // two of them instead of running out of CPUs.
                if (count(seen) < 2) {
                    failure.set("the helper ran on only " + count(seen) + " CPU(s) over 20 moves");
                }
            } catch (Throwable t) {
                failure.set(t.toString());
            }
        });
        helper.start();
        helper.join();
        assumeTrue(skipped.get() == null, skipped.get());
        assertEquals(null, failure.get());
    }

    private static boolean isSet(long[] mask, int cpu) {
        return cpu >= 0 && cpu / 64 < mask.length && (mask[cpu / 64] & (1L << (cpu % 64))) != 0;
    }

    private static int count(long[] mask) {
        int n = 0;
        for (long word : mask) {
            n += Long.bitCount(word);
        }
        return n;
    }
}
