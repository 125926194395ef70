package org.bert4j.bench.model;

import java.util.Arrays;

/**
 * What a series of paired rounds says about which engine is faster, without assuming how the machine's noise is
 * distributed: the median of the rounds' speed ratios, a 95% confidence interval for it from the sorted ratios
 * themselves (the order statistics whose ranks a binomial(n, ½) count puts around the median), and the sign
 * test's two-sided p-value for "each engine is equally likely to win a round".
 *
 * <p>Why these: on a shared machine the rounds' times have long tails (a run that lost the CPU for 30 ms), so a
 * mean and its t-interval would follow the tails; the median and these two rank-based statistics do not.
 */
record RoundStatistics(int rounds, double median, double low, double high, double confidence, int wins,
                       double signTestP) {

    /** The confidence aimed at for {@link #low}..{@link #high}; {@link #confidence} says what the rounds allow. */
    static final double CONFIDENCE = 0.95;

    /** The median of {@code values} (not empty), the mean of the middle two for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Statistics of the rounds' ratios (theirs / ours: above 1 when bert4j was faster in that round). A 95% interval
     * needs at least 6 rounds; with fewer it spans all of them and {@link #confidence} is lower (93.75% for 5).
     */
    static RoundStatistics of(double[] ratios) {
        int n = ratios.length;
        if (n == 0) {
            throw new IllegalArgumentException("ratios is empty: no rounds to summarise");
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        for (double r : sorted) {
            if (!Double.isFinite(r) || r <= 0) {
                throw new IllegalArgumentException("ratios holds " + r + ": a ratio of two times must be positive");
            }
        }
        double median = median(sorted);
        // The largest j with P(B ≤ j − 1) ≤ (1 − confidence) / 2, B ~ binomial(n, ½): the median lies between
        // the j-th smallest and the j-th largest ratio with probability ≥ 95%.
        int j = 0;
        while (j + 1 <= n && binomialCdf(n, j) <= (1 - CONFIDENCE) / 2) {
            j++;
        }
        double low = j == 0 ? sorted[0] : sorted[j - 1];
        double high = j == 0 ? sorted[n - 1] : sorted[n - j];
        // The median lies outside [x(j), x(n−j+1)] when at most j − 1 rounds fall below it, or above: twice that tail.
        double confidence = 1 - 2 * binomialCdf(n, Math.max(j, 1) - 1);
        int wins = 0;
        int ties = 0;
        for (double r : sorted) {
            if (r > 1) {
                wins++;
            } else if (r == 1) {
                ties++;
            }
        }
        // Ties say nothing about which is faster: the sign test drops them.
        int decided = n - ties;
        int extreme = Math.min(wins, decided - wins);
        double p = decided == 0 ? 1 : Math.min(1, 2 * binomialCdf(decided, extreme));
        return new RoundStatistics(n, median, low, high, confidence, wins, p);
    }

    /** P(B ≤ k) for B ~ binomial(n, ½), summed in logarithms so that hundreds of rounds do not overflow. */
    static double binomialCdf(int n, int k) {
        if (k < 0) {
            return 0;
        }
        if (k >= n) {
            return 1;
        }
        double sum = 0;
        double logChoose = 0;   // log C(n, 0)
        for (int i = 0; i <= k; i++) {
            if (i > 0) {
                logChoose += Math.log(n - i + 1) - Math.log(i);
            }
            sum += Math.exp(logChoose - n * Math.log(2));
        }
        return Math.min(1, sum);
    }
}
