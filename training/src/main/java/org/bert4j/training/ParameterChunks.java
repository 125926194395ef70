package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;

import java.util.ArrayList;
import java.util.List;

/**
 * Every parameter's elements cut into pieces of at most {@link #SIZE}: the units the optimiser, the clipping and the
 * zeroing spread over the compute pool. The cut depends only on the parameters' sizes, never on the thread count,
 * so a sum taken piece by piece and then over the pieces in order gives the same bits on any machine.
 */
final class ParameterChunks {

    /** Elements per piece: large enough that handing one to a thread costs little beside its work. */
    static final int SIZE = 1 << 16;

    /** Elements [from, to) of parameter {@code parameter}. */
    record Chunk(int parameter, int from, int to) {}

    private ParameterChunks() {
    }

    static List<Chunk> of(List<Parameter> parameters) {
        List<Chunk> chunks = new ArrayList<>();
        for (int p = 0; p < parameters.size(); p++) {
            int size = parameters.get(p).size();
            for (int from = 0; from < size; from += SIZE) {
                chunks.add(new Chunk(p, from, Math.min(size, from + SIZE)));
            }
        }
        return chunks;
    }

    /** Runs {@code body} for every chunk, over {@code pool} when there is one (null: on this thread). */
    static void forEach(List<Chunk> chunks, ComputePool pool, java.util.function.IntConsumer body) {
        if (pool == null) {
            for (int c = 0; c < chunks.size(); c++) {
                body.accept(c);
            }
        } else {
            pool.parallelFor(chunks.size(), body);
        }
    }
}
