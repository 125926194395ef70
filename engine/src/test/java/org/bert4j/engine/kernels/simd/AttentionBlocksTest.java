package org.bert4j.engine.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionBlocksTest {

    /**
     * Query blocks are whole 6-row strips of the micro-kernel but for the last: a sequence computes ⌈tokens / 6⌉
     * strips, no more, in blocks no taller than the scratch's scores hold (blocks of 64 computed 88 for 512 tokens).
     */
    @Test
    void queryBlocksComputeNoStripPastTheLastToken() {
        int mr = MicroKernel.MR;
        for (int tokens = 1; tokens <= 2048; tokens++) {
            int block = Attention.queryBlock(tokens);
            assertTrue(block >= 1 && block <= Math.min(tokens, Attention.MAX_QUERY_BLOCK), tokens + " tokens: " + block);
            int strips = 0;
            for (int q0 = 0; q0 < tokens; q0 += block) {
                strips += (Math.min(block, tokens - q0) + mr - 1) / mr;
            }
            assertEquals((tokens + mr - 1) / mr, strips, tokens + " tokens in blocks of " + block);
        }
    }
}
