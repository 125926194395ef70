package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A helper moves off its caller's CPU (Linux with 2 or more CPUs). */
class CpuPlacementTest {

    @Test
    void currentCpuIsOneOfTheMachinesCpus() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"));
        int cpu = CpuPlacement.currentCpu();
        assertTrue(cpu >= 0 && cpu < 1024, "sched_getcpu: " + cpu);
    }

    @Test
    void aHelperOnTheCallersCpuMovesOffItAndNeverLosesMoreThanThatCpu() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"));
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2);
        AtomicReference<String> failure = new AtomicReference<>();
        Thread helper = new Thread(() -> {
            try {
                CpuPlacement.Helper placement = new CpuPlacement.Helper();
                int cpus = Runtime.getRuntime().availableProcessors();
                boolean[] seen = new boolean[cpus];
                int distinct = 0;
                for (int trial = 0; trial < 20; trial++) {
                    int here = CpuPlacement.currentCpu();
                    if (here >= 0 && here < cpus && !seen[here]) {
                        seen[here] = true;
                        distinct++;
                    }
                    placement.avoid(here);   // as if the caller ran on this very CPU
                    int after = CpuPlacement.currentCpu();
                    if (after == here) {
                        failure.set("trial " + trial + ": still on CPU " + here);
                        return;
                    }
                }
                // Each move is computed from the CPUs the thread started with, so hopping goes on between at
                // least two of them instead of running out of CPUs.
                if (distinct < 2) {
                    failure.set("the helper ran on only " + distinct + " CPU(s) over 20 moves");
                }
            } catch (Throwable t) {
                failure.set(t.toString());
            }
        });
        helper.start();
        helper.join();
        assertEquals(null, failure.get());
    }
}
