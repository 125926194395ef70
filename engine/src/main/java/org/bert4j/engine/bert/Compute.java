package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;

import java.util.concurrent.atomic.LongAdder;

/**
 * The kernels one model computes with: its GEMM backend and its thread pool (the GEMM runs on the same pool, so
 * Java and OpenBLAS threads never oversubscribe the cores).
 *
 * @param gemm        the backend every {@link Linear} multiplies with
 * @param pool        the threads of attention, LayerNorm and the GEMM
 * @param packedBytes counts the bytes the backend copied at load (weights it could not read in place)
 */
public record Compute(Gemm gemm, ComputePool pool, LongAdder packedBytes) {

    /** A backend and pool with a fresh load counter. */
    public Compute(Gemm gemm, ComputePool pool) {
        this(gemm, pool, new LongAdder());
    }
}
