package org.bert4j.engine.kernels;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For tests that compare two computations bit for bit: until {@link WarmUp} is done, the kernels run their
 * scalar twins ({@link ColdStart}), and the warm-up may finish between the two computations, which then differ
 * in the last bits. Once it is done it stays done, so waiting for it first makes both take the vector path.
 */
public final class CompiledKernels {
    private CompiledKernels() {}

    public static void await() {
        try {
            assertTrue(WarmUp.awaitCompiled(Duration.ofSeconds(60)), "the kernel warm-up did not finish in 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the kernel warm-up", e);
        }
    }
}
