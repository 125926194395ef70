package org.bert4j.engine.kernels;

/**
 * exp(x) in float for the arguments softmax gives it, x ≤ 0, within about 1.2e-7 of the exact value
 * (relative) for x ≥ −10; below, the error grows to about 3e-7 at −87 (relative, on values under 1.7e-38).
 *
 * <p>The textbook reduction: x = n·ln2 + r with n = round(x/ln2) and |r| ≤ ln2/2, so exp(x) = 2ⁿ·exp(r), where
 * exp(r) is a degree-6 polynomial and 2ⁿ goes straight into the float's exponent bits. Two choices make it fast:
 * <ul>
 *   <li>r = x − n·ln2 in one step, with ln2 rounded to float: the rounding error, n·2e-9, is absolute and matters
 *       only where n is large, i.e. for values far below the row's largest, which hardly count in a softmax;</li>
 *   <li>the polynomial in Estrin's form (pairs of terms in parallel, then r²) rather than Horner's: the chain of
 *       dependent operations is 4 instead of 6 fused multiply-adds long. A softmax row is one long loop of
 *       independent exponentials, and with Horner's chain the core's scheduler filled up with waiting operations
 *       before its two FMA units did: the JDK's vector exp and a Horner polynomial both ran at ~0.65 ns per
 *       element (with the row's maximum and sum), this form at ~0.54.</li>
 * </ul>
 * The coefficients are a minimax (Remez) fit of exp on [−ln2/2, ln2/2] for relative error, rounded to float;
 * The tests bound the result's error from these coefficients (their fit, measured in double) and the float
 * rounding of each step.
 */
public final class Exp {
    private Exp() {}

    /** Below this, exp(x) is under the smallest normal float: the result is exp(LOWEST) ≈ 1.2e-38 instead of 0. */
    public static final float LOWEST = -87.33f;
    /**
     * The largest argument whose exp a float holds (exp(88) ≈ 1.7e38; float's largest is 3.4e38). exp does not clamp
     * here: softmax only exponentiates x − max ≤ 0; a caller whose argument can be larger caps it at this.
     */
    public static final float HIGHEST = 88f;
    public static final float LOG2E = 1.44269504088896341f;
    public static final float LN2 = 0.6931471805599453f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer, which lands in the low mantissa bits. */
    public static final float SHIFTER = 12582912f;
    // exp(r) ≈ 1 + r + C2·r² + … + C6·r⁶ on |r| ≤ ln2/2.
    public static final float C2 = 0.49999991059303284f;
    public static final float C3 = 0.16666419804096222f;
    public static final float C4 = 0.04166822507977486f;
    public static final float C5 = 0.008374815806746483f;
    public static final float C6 = 0.0013836845755577087f;
}
