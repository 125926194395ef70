package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;

/**
 * The kernels one model computes with: its GEMM backend and its thread pool (the GEMM runs on the same pool, so
 * Java and OpenBLAS threads never oversubscribe the cores).
 *
 * @param gemm the backend every {@link Linear} multiplies with
 * @param pool the threads of attention, LayerNorm and the GEMM
 */
public record Compute(Gemm gemm, ComputePool pool) {
}
