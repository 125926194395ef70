package org.bert4j.bench.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundStatisticsTest {

    @Test
    void binomialTailsMatchExactFractions() {
        // C(20, 0..5) = 1, 20, 190, 1140, 4845, 15504: their sum over 2^20.
        assertEquals(21700.0 / 1048576, RoundStatistics.binomialCdf(20, 5), 1e-15);
        assertEquals(1.0 / 1024, RoundStatistics.binomialCdf(10, 0), 1e-15);
        assertEquals(0.5, RoundStatistics.binomialCdf(9, 4), 1e-15);
        assertEquals(0, RoundStatistics.binomialCdf(9, -1));
        assertEquals(1, RoundStatistics.binomialCdf(9, 9));
        // Hundreds of rounds: symmetric, no overflow.
        assertEquals(0.5, RoundStatistics.binomialCdf(401, 200), 1e-12);
    }

    @Test
    void intervalUsesTheSixthSmallestAndLargestOfTwenty() {
        // n = 20: P(B ≤ 5) = 0.0207 ≤ 0.025 < P(B ≤ 6) = 0.0577, so the interval is [x(6), x(15)].
        double[] ratios = new double[20];
        for (int i = 0; i < 20; i++) {
            ratios[19 - i] = (90 + i) / 100.0;   // 0.90 … 1.09 (1.00 exactly), given in descending order
        }
        RoundStatistics s = RoundStatistics.of(ratios);
        assertEquals(20, s.rounds());
        assertEquals(0.995, s.median(), 1e-12);
        assertEquals(0.95, s.low(), 1e-12);
        assertEquals(1.04, s.high(), 1e-12);
        assertEquals(1 - 2 * 21700.0 / 1048576, s.confidence(), 1e-12);   // 95.86%
        assertEquals(9, s.wins());   // 1.01 … 1.09; 1.00 is a tie
        // 9 wins of 19 decided rounds: two-sided p = 2 · P(B ≤ 9), B ~ binomial(19, ½) = 1.
        assertEquals(1, s.signTestP(), 1e-12);
    }

    @Test
    void signTestMatchesTheBinomialTail() {
        double[] ratios = new double[20];
        for (int i = 0; i < 20; i++) {
            ratios[i] = i < 15 ? 1.1 : 0.9;
        }
        RoundStatistics s = RoundStatistics.of(ratios);
        assertEquals(15, s.wins());
        assertEquals(2 * 21700.0 / 1048576, s.signTestP(), 1e-12);
    }

    @Test
    void fewRoundsSpanEveryRatio() {
        RoundStatistics s = RoundStatistics.of(new double[] {1.2, 0.8, 1.0});
        assertEquals(0.8, s.low());
        assertEquals(1.2, s.high());
        assertEquals(1.0, s.median());
        assertEquals(0.75, s.confidence(), 1e-12);   // the median is outside [min, max] only if all 3 fall on one side
        assertEquals(1 - 2.0 / 32, RoundStatistics.of(new double[] {1, 2, 3, 4, 5}).confidence(), 1e-12);
    }

    @Test
    void intervalCoversTheTrueMedianAboutNineteenTimesInTwenty() {
        // Ratios drawn around a known median of 1.05 with long tails on both sides: the interval must hold 1.05
        // in at least ~95% of series (the order-statistic interval is conservative), and not in all of them.
        Random random = new Random(42);
        int series = 4000;
        int covered = 0;
        for (int s = 0; s < series; s++) {
            double[] ratios = new double[25];
            for (int i = 0; i < ratios.length; i++) {
                double noise = random.nextGaussian() * 0.03 * (random.nextInt(10) == 0 ? 8 : 1);
                ratios[i] = 1.05 * Math.exp(noise);
            }
            RoundStatistics r = RoundStatistics.of(ratios);
            if (r.low() <= 1.05 && 1.05 <= r.high()) {
                covered++;
            }
        }
        double coverage = (double) covered / series;
        assertTrue(coverage >= 0.94 && coverage < 0.995, "coverage " + coverage);
    }

    @Test
    void rejectsEmptyAndNonPositiveRatios() {
        assertThrows(IllegalArgumentException.class, () -> RoundStatistics.of(new double[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RoundStatistics.of(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RoundStatistics.of(new double[] {1, -2}));
    }
}
