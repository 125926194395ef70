package org.bert4j.training;

import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.kernels.Backends;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.MatMul;

/**
 * The {@link Compute} a training run owns, chosen once from the options the inference model was loaded with: the
 * same kernel set and thread count, and the matrix product of its GEMM backend. Closing it stops the threads.
 */
public final class TrainingCompute implements AutoCloseable {
    private final ComputePool pool;
    private final Compute compute;

    private TrainingCompute(ComputePool pool, Compute compute) {
        this.pool = pool;
        this.compute = compute;
    }

    /** Kernels, product and threads as {@code options} name them. */
    public static TrainingCompute open(EngineOptions options) {
        Kernels kernels = Kernels.named(options.effectiveKernels());
        MatMul matMul = matMul(options.effectiveGemm(), kernels);
        ComputePool pool = ComputePool.create(options.effectiveThreads());
        return new TrainingCompute(pool, new Compute(kernels, matMul, pool));
    }

    /** What the layers compute with. */
    public Compute compute() {
        return compute;
    }

    /**
     * The product training multiplies with: the backend the model was loaded with, where "auto" means OpenBLAS
     * (training's products are mostly large ones) unless it cannot load here.
     */
    static MatMul matMul(String gemm, Kernels kernels) {
        return switch (gemm) {
            case "java" -> kernels.matMul();
            default -> {
                try {
                    yield Backends.openBlasMatMul();
                } catch (IllegalStateException e) {
                    if (gemm.equals("openblas")) {
                        throw e;
                    }
                    yield kernels.matMul();
                }
            }
        };
    }

    @Override
    public void close() {
        pool.close();
    }
}
