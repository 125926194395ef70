package org.bert4j.engine.kernels;

/**
 * Rounding-error bounds the kernel tests derive their tolerances from (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 2nd ed.: §2.2 for u and γ_k, §3.1 for sums and dot products, §5.1 for polynomials).
 */
public final class Bounds {
    private Bounds() {}

    /** The unit roundoff of float: 2⁻²⁴. */
    public static final double U = 0x1p-24;
    /** The unit roundoff of double: 2⁻⁵³ (the scalar set sums in double). */
    public static final double U_DOUBLE = 0x1p-53;

    /** γ_k = k·u / (1 − k·u): the relative error bound of k chained float roundings. */
    public static double gamma(int k) {
        return k * U / (1 - k * U);
    }

    /** The unit roundoff of the arithmetic a kernel set sums in: float for vectors, double for the scalar set. */
    public static double sumUnit(Kernels kernels) {
        return kernels.vectorBits() == 0 ? U_DOUBLE : U;
    }

    /**
     * |erf_float(x) − erf(x)| for {@link Erf}'s float polynomial: the error of the polynomial itself (its coefficients
     * evaluated in double against the true erf) plus the rounding bound of evaluating it in float, γ_k · Σ|cᵢ||t|ⁱ
     * with k twice the degree plus the roundings of its argument.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= Erf.TOP) {
            return Math.abs(1 - Math.abs(Reference.erf(x))) + U;
        }
        double exact = Reference.erf(ax);
        if (ax < Erf.SPLIT) {
            double z = ax * ax;
            double[] p = {Erf.P0, Erf.P1, Erf.P2, Erf.P3, Erf.P4, Erf.P5};
            double fit = Math.abs(ax * horner(p, z) - exact);
            return fit + gamma(2 * 5 + 3) * ax * horner(abs(p), z);
        }
        double t = ax - Erf.MID;
        double[] c = {Erf.T0, Erf.T1, Erf.T2, Erf.T3, Erf.T4, Erf.T5, Erf.T6, Erf.T7, Erf.T8, Erf.T9, Erf.T10, Erf.T11,
                Erf.T12, Erf.T13, Erf.T14};
        double fit = Math.abs(horner(c, t) - exact);
        // The argument t = |x| − MID is rounded once: its error u·|t| moves the result by at most |erf'| ≤ 1.13 times.
        return fit + gamma(2 * 14 + 2) * horner(abs(c), Math.abs(t)) + 1.13 * U * Math.abs(t);
    }

    public static double horner(double[] c, double x) {
        double y = 0;
        for (int i = c.length - 1; i >= 0; i--) {
            y = y * x + c[i];
        }
        return y;
    }

    private static double[] abs(double[] c) {
        double[] a = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            a[i] = Math.abs(c[i]);
        }
        return a;
    }

    /**
     * The relative error of the vector kernels' exp at x ≤ 0 (VectorExp): x = n·ln2 + r, exp(r) a degree-6
     * polynomial. Its fit error on |r| ≤ ln2/2 (measured here in double from the float coefficients), the rounding of
     * evaluating it (γ_14 · Σ|cᵢ||r|ⁱ ≤ γ_14 · 1.42), the error of r itself (ln2 rounded to float, times n, plus
     * the rounding of n·ln2 − x: 2u), and the final scaling by 2ⁿ, exact. Below −87.33 exp is clamped: there the
     * result is a tiny positive number instead of 0, which the callers (softmax, gelu_tanh) absorb.
     */
    public static double expRelative(double x) {
        double n = Math.rint(x / Math.log(2));
        return EXP_FIT + gamma(14) * 1.42 + Math.abs(n) * Math.abs((double) Exp.LN2 - Math.log(2)) + 2 * U * 0.35;
    }

    /** The polynomial's own relative error max |p(r)/exp(r) − 1| on |r| ≤ ln2/2, from its float coefficients. */
    private static final double EXP_FIT = expFit();

    private static double expFit() {
        double[] c = {1, 1, Exp.C2, Exp.C3, Exp.C4, Exp.C5, Exp.C6};
        double half = Math.log(2) / 2;
        double worst = 0;
        for (int i = 0; i <= 100_000; i++) {
            double r = -half + 2 * half * i / 100_000;
            worst = Math.max(worst, Math.abs(horner(c, r) / Math.exp(r) - 1));
        }
        return worst;
    }
}
