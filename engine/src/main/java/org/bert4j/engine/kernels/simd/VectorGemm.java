package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.Activation;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.LinearArgs;
import org.bert4j.engine.kernels.PackedWeight;

import java.lang.foreign.MemorySegment;

/**
 * The pure-Java GEMM backend of the vector kernels: weights packed once into {@link Panels panels}, the {@link MicroKernel}
 * register-blocked on the Vector API, the output split over a {@link ComputePool}.
 */
final class VectorGemm implements Gemm {
    static final String NAME = "java";

    /** Rows per parallel task when the rows are split: enough to amortise re-reading the weight panels. */
    private static final int ROWS_PER_TASK = 96;
    /** Below this many multiply-adds a call runs on the calling thread alone: a wake-up costs more. */
    private static final long SERIAL_WORK = 1L << 17;
    /** Tasks per thread a call is split into. */
    private static final int TASKS_PER_THREAD = 16;

    private final ComputePool pool;

    VectorGemm(ComputePool pool) {
        this.pool = pool;
    }

    @Override
    public PackedWeight pack(MemorySegment weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.panels(out, in, NAME, Panels.packTransposed(weightOutIn, out, in));
    }

    @Override
    public PackedWeight pack(float[] weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.panels(out, in, NAME, packPanels(weightOutIn, out, in));
    }

    /** Int8 weights packed into {@link Int8Panels}, widened block by block inside the GEMM. */
    @Override
    public PackedWeight packInt8(byte[] valuesOutIn, float[] scales, int out, int in) {
        LinearArgs.checkPackInt8(valuesOutIn, scales, out, in);
        return PackedWeight.int8(out, in, NAME, Int8Panels.LAYOUT, Int8Panels.pack(valuesOutIn, out, in),
                Int8Panels.padScales(scales, out));
    }

    @Override
    public float[] widenInt8(PackedWeight w) {
        return Int8Panels.unpack(w.int8(Int8Panels.LAYOUT), w.scales(Int8Panels.LAYOUT), w.out(), w.in());
    }

    static float[] packPanels(float[] weightOutIn, int out, int in) {
        float[] panels = new float[Panels.size(out, in)];
        Panels.packTransposed(weightOutIn, 0, in, out, in, panels);
        return panels;
    }

    /** Each thread's scratch for widening int8 panels, kept between calls: per backend, so per model. */
    private final ThreadLocal<float[]> widened = ThreadLocal.withInitial(() -> new float[MicroKernel.INT8_SCRATCH]);

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        int out = w.out();
        int in = w.in();
        if (w.isInt8()) {
            byte[] q = w.int8(Int8Panels.LAYOUT);
            float[] scales = w.scales(Int8Panels.LAYOUT);
            split(rows, out, in, pool, (r0, r1, p0, p1) -> MicroKernel.gemmInt8(x, 0, in, r0, r1, q, scales,
                    widened.get(), out, in, p0, p1, y, 0, out, bias, activation));
        } else {
            multiply(x, rows, w.panels(NAME), out, in, bias, activation, y, pool);
        }
    }

    /** y = activation(x · B + bias) for panels B of an in × out operand, split over the pool. */
    static void multiply(float[] x, int rows, float[] panels, int out, int in, float[] bias, Activation activation,
                         float[] y, ComputePool pool) {
        split(rows, out, in, pool, (r0, r1, p0, p1) -> MicroKernel.gemm(x, 0, in, r0, r1, panels, out, in, p0, p1,
                y, 0, out, bias, activation));
    }

    /** One block of the output: rows [r0, r1), panels [p0, p1). */
    @FunctionalInterface
    interface Block {
        void run(int r0, int r1, int p0, int p1);
    }

    /** Splits a rows × out × in product into blocks over the pool (or runs it whole when small). */
    private static void split(int rows, int out, int in, ComputePool pool, Block block) {
        if (rows == 0) {
            return;
        }
        int panelCount = Panels.count(out);
        long work = (long) rows * out * in;
        int threads = pool.threads();
        if (threads == 1 || work < SERIAL_WORK) {
            block.run(0, rows, 0, panelCount);
            return;
        }
        // Many small tasks per thread, claimed as threads come free, balance the load: a helper thread often
        // starts a few microseconds late, or the other core is busy, and with two big tasks the caller would wait
        // for it (16 per thread: 1 × 16 tokens of MiniLM runs ~10% faster on average than with 3). Rows are split
        // only when there are many (each row task re-reads every panel), columns otherwise.
        int target = threads * TASKS_PER_THREAD;
        int rowTasks = Math.max(1, Math.min(target, rows / ROWS_PER_TASK));
        int colTasks = Math.max(1, Math.min(panelCount, (target + rowTasks - 1) / rowTasks));
        int strips = (rows + MicroKernel.MR - 1) / MicroKernel.MR;
        rowTasks = Math.min(rowTasks, strips);
        int tasks = rowTasks * colTasks;
        int finalRowTasks = rowTasks;
        int finalColTasks = colTasks;
        pool.parallelFor(tasks, t -> {
            int rt = t / finalColTasks;
            int ct = t % finalColTasks;
            int r0 = Math.min(rows, (int) ((long) strips * rt / finalRowTasks) * MicroKernel.MR);
            int r1 = Math.min(rows, (int) ((long) strips * (rt + 1) / finalRowTasks) * MicroKernel.MR);
            int p0 = (int) ((long) panelCount * ct / finalColTasks);
            int p1 = (int) ((long) panelCount * (ct + 1) / finalColTasks);
            block.run(r0, r1, p0, p1);
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "VectorGemm[" + Width.SPECIES.vectorBitSize() + "-bit, " + pool + "]";
    }
}
