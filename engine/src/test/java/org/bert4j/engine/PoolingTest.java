package org.bert4j.engine;

import org.bert4j.folder.Pooling;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PoolingTest {

    // Two sequences packed: [1,2],[3,4],[5,6] and [7,8]
    private final BertModelOutput output = new BertModelOutput(new float[] {1, 2, 3, 4, 5, -6, 7, 8}, 2,
            new int[] {0, 3}, new int[] {3, 1}, null, null);

    @Test
    void clsTakesEachSequencesFirstToken() {
        assertArrayEquals(new float[] {1, 2}, output.pool(Pooling.CLS, 0));
        assertArrayEquals(new float[] {7, 8}, output.pool(Pooling.CLS, 1));
    }

    @Test
    void meanAveragesOnlyTheSequencesOwnTokens() {
        assertArrayEquals(new float[] {3, 0}, output.pool(Pooling.MEAN, 0));
        assertArrayEquals(new float[] {7, 8}, output.pool(Pooling.MEAN, 1));
    }

    @Test
    void maxIsElementWiseOverTheSequence() {
        assertArrayEquals(new float[] {5, 4}, output.pool(Pooling.MAX, 0));
    }

    @Test
    void normalizeGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = {3, 4};
        Normalize.l2(v);
        assertArrayEquals(new float[] {0.6f, 0.8f}, v, 1e-7f);
        float[] zero = {0, 0};
        Normalize.l2(zero);
        assertArrayEquals(new float[] {0, 0}, zero);
    }
}
