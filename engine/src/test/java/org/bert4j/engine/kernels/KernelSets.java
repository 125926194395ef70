package org.bert4j.engine.kernels;

import java.util.stream.Stream;

/**
 * The kernel sets every kernel test runs on, whatever the machine: the Vector API at 128, 256 and 512 bits (a width
 * wider than the hardware's runs emulated, slowly, with the same results) and the scalar set. A test's display
 * name is the set's name ("vector-512"), so the report says which width each result is for.
 */
final class KernelSets {
    private KernelSets() {}

    static Stream<Kernels> all() {
        return Stream.of(Kernels.vector(128), Kernels.vector(256), Kernels.vector(512), Kernels.scalar());
    }

    static Stream<Kernels> vectors() {
        return Stream.of(Kernels.vector(128), Kernels.vector(256), Kernels.vector(512));
    }

    /**
     * The number of float additions a W-lane sum of n terms chains in its worst lane: ⌈n/W⌉ along the lane, then
     * log₂W to fold the lanes. 1 lane for the scalar set (whose sums are in double: see {@link Bounds#U}).
     */
    static int sumDepth(Kernels kernels, int n) {
        int lanes = Math.max(1, kernels.vectorBits() / 32);
        return (n + lanes - 1) / lanes + Integer.numberOfTrailingZeros(lanes);
    }
}
