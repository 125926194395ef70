package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** For tests of the vector kernels themselves: a fresh JVM runs their cold-start twins until they are compiled. */
final class VectorKernels {
    private VectorKernels() {}

    /** Starts the warm-up (normally started by the first forwards) and waits until the vector code is compiled. */
    static void awaitCompiled() {
        WarmUp.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!WarmUp.done() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(WarmUp.done(), "the warm-up finishes within 60 s");
    }
}
