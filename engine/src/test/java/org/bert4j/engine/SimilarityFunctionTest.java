package org.bert4j.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The four similarity functions on vectors whose scores are known by hand, with sentence-transformers' signs. */
class SimilarityFunctionTest {

    private static final float[][] A = {{3, 4}, {0, 0}};
    private static final float[][] B = {{4, 3}, {1, 0}};
    /** Scores are computed in double and rounded once: only float rounding separates them from the exact values. */
    private static final float ULP = 1e-6f;

    @Test
    void cosineNormalisesAndAZeroVectorScoresZero() {
        // (3,4)·(4,3) = 24, both of length 5: 0.96; (3,4)·(1,0) / 5 = 0.6; the zero row stays zero (torch's eps).
        assertMatrix(new float[][] {{0.96f, 0.6f}, {0, 0}}, SimilarityFunction.COSINE.matrix(A, B));
    }

    @Test
    void dotIsTheRawProduct() {
        assertMatrix(new float[][] {{24, 3}, {0, 0}}, SimilarityFunction.DOT.matrix(A, B));
    }

    @Test
    void distancesAreNegatedSoHigherMeansCloser() {
        // |(3,4)-(4,3)| = sqrt 2, |(3,4)-(1,0)| = sqrt 20, |(0,0)-(4,3)| = 5, |(0,0)-(1,0)| = 1.
        assertMatrix(new float[][] {{(float) -Math.sqrt(2), (float) -Math.sqrt(20)}, {-5, -1}},
                SimilarityFunction.EUCLIDEAN.matrix(A, B));
        assertMatrix(new float[][] {{-2, -6}, {-7, -1}}, SimilarityFunction.MANHATTAN.matrix(A, B));
    }

    @Test
    void pairwiseIsTheDiagonal() {
        assertArrayEquals(new float[] {0.96f, 0}, SimilarityFunction.COSINE.pairwise(A, B), ULP);
        assertArrayEquals(new float[] {-2, -1}, SimilarityFunction.MANHATTAN.pairwise(A, B), ULP);
        assertEquals(24f, SimilarityFunction.DOT.score(A[0], B[0]), ULP);
    }

    @Test
    void namesAndMistakes() {
        assertEquals(SimilarityFunction.DOT, SimilarityFunction.fromName("dot_product"));
        assertEquals(SimilarityFunction.EUCLIDEAN, SimilarityFunction.fromName("Euclidean"));
        assertEquals("manhattan", SimilarityFunction.MANHATTAN.label());
        assertThrows(IllegalArgumentException.class, () -> SimilarityFunction.fromName("jaccard"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimilarityFunction.COSINE.matrix(A, new float[][] {{1, 2, 3}}));
        assertEquals("embeddings of different lengths: 2 and 3 (b[0])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimilarityFunction.DOT.pairwise(A, new float[][] {{1, 2}}));
        assertEquals(0, SimilarityFunction.DOT.matrix(new float[0][], B).length);
    }

    private static void assertMatrix(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], ULP, "row " + i);
        }
    }
}
