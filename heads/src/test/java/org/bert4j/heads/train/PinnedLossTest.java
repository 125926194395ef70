package org.bert4j.heads.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bert4j.heads.ner.TokenLabels;
import org.junit.jupiter.api.Test;

/**
 * The class-weighted cross-entropy with an ignored row, pinned to a value computed outside this code base: PyTorch's
 * {@code F.cross_entropy(x, y, weight=w, ignore_index=-100)} is Σ w[yᵢ]·(logsumexp(xᵢ) − xᵢ[yᵢ]) / Σ w[yᵢ] over the
 * rows not ignored, evaluated in float64 with exactly rounded sums by this Python (3.12, math module only):
 *
 * <pre>
 * import math
 * x = [[2.0, -1.0, 0.5], [0.3, 0.3, 0.3], [-0.7, 1.9, 0.1], [1.2, 0.4, -2.2]]
 * y = [2, -100, 0, 1]; w = [0.5, 2.0, 1.25]
 * lse = lambda r: max(r) + math.log(math.fsum(math.exp(v - max(r)) for v in r))
 * kept = [(r, t) for r, t in zip(x, y) if t != -100]
 * W = math.fsum(w[t] for _, t in kept)
 * loss = math.fsum(w[t] * (lse(r) - r[t]) for r, t in kept) / W           # 1.5924679738520557
 * grad(r, t) = [w[t] / W * math.exp(v - lse(r)) - (w[t] / W if c == t else 0) for c, v in enumerate(r)]
 * </pre>
 *
 * Tolerance 1e-12: a dozen double operations with Math.exp and Math.log (1 ulp each) err by a few 1e-16 relative; a
 * wrong normaliser (the row count 3 instead of Σ w = 3.75) is off by 0.40, counting the ignored row (as any class)
 * by 0.058 or more.
 */
class PinnedLossTest {
    static final double[] LOGITS = {
            2.0, -1.0, 0.5,
            0.3, 0.3, 0.3,
            -0.7, 1.9, 0.1,
            1.2, 0.4, -2.2};
    static final int[] TARGETS = {2, TokenLabels.IGNORE, 0, 1};
    static final double[] WEIGHTS = {0.5, 2.0, 1.25};

    @Test
    void classWeightedLossWithAnIgnoredRowIsPyTorchsValue() {
        double[] gradient = new double[LOGITS.length];
        double loss = CrossEntropy.lossAndGradient(LOGITS, 4, 3, TARGETS, WEIGHTS, gradient);
        assertEquals(1.5924679738520557, loss, 1e-12);
        assertArrayEquals(new double[] {
                0.26186567819642526, 0.013037524423562482, -0.27490320261998774,
                0, 0, 0,
                -0.12534417252986277, 0.10756396817743127, 0.017780204352431505,
                0.359703601354012, -0.37170808674770106, 0.012004485393688957}, gradient, 1e-12);
        assertEquals(-100, TokenLabels.IGNORE, "PyTorch's ignore_index");
    }

    @Test
    void theIgnoredRowsLogitsDoNotMatterAtAll() {
        double[] other = LOGITS.clone();
        other[3] = 1e30;
        other[4] = Double.NaN;
        double[] g1 = new double[LOGITS.length];
        double[] g2 = new double[LOGITS.length];
        assertEquals(CrossEntropy.lossAndGradient(LOGITS, 4, 3, TARGETS, WEIGHTS, g1),
                CrossEntropy.lossAndGradient(other, 4, 3, TARGETS, WEIGHTS, g2), 0.0);
        assertArrayEquals(g1, g2, 0.0);
    }
}
