package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A helper moves off the caller's CPU and gets all its CPUs back (Linux with 2 or more CPUs). */
class CpuPlacementTest {

    @Test
    void currentCpuIsOneOfTheMachinesCpus() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"));
        int cpu = CpuPlacement.currentCpu();
        assertTrue(cpu >= 0 && cpu < 1024, "sched_getcpu: " + cpu);
    }

    @Test
    void aHelperOnTheCallersCpuMovesOffItAndIsReleasedAfterwards() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"));
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2);
        AtomicReference<String> failure = new AtomicReference<>();
        Thread helper = new Thread(() -> {
            try {
                CpuPlacement.Helper placement = new CpuPlacement.Helper();
                for (int trial = 0; trial < 20; trial++) {
                    int here = CpuPlacement.currentCpu();
                    placement.avoid(here);   // as if the caller ran on this very CPU
                    int after = CpuPlacement.currentCpu();
                    if (after == here) {
                        failure.set("trial " + trial + ": still on CPU " + here);
                        return;
                    }
                    placement.avoid(here);   // already elsewhere: nothing changes
                    placement.release();
                }
                // Released: the thread may run on every CPU it started with again.
                int cpus = Runtime.getRuntime().availableProcessors();
                boolean[] seen = new boolean[cpus];
                long deadline = System.nanoTime() + 2_000_000_000L;
                int count = 0;
                while (System.nanoTime() < deadline && count < Math.min(cpus, 2)) {
                    int cpu = CpuPlacement.currentCpu();
                    if (cpu >= 0 && cpu < cpus && !seen[cpu]) {
                        seen[cpu] = true;
                        count++;
                    }
                    placement.avoid(cpu);   // hop to another CPU...
                    placement.release();    // ...and free it again
                }
                if (count < 2) {
                    failure.set("after release the thread ran on only " + count + " CPU(s)");
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
