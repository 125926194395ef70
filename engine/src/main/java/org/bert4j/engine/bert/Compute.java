package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.Repacking;

/**
 * The kernels one model computes with: its GEMM backend and its thread pool (the GEMM runs on the same pool, so
 * Java and OpenBLAS threads never oversubscribe the cores).
 *
 * @param gemm        the backend every {@link Linear} multiplies with
 * @param pool        the threads of attention, LayerNorm and the GEMM
 * @param repacking   the copies of weights the model holds (what could not be read in place) and their cost
 */
public record Compute(Gemm gemm, ComputePool pool, Repacking repacking) {

    /** A backend and pool with a fresh ledger of copies. */
    public Compute(Gemm gemm, ComputePool pool) {
        this(gemm, pool, new Repacking());
    }
}
