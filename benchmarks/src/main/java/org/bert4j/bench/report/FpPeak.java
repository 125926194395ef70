package org.bert4j.bench.report;

import java.util.Locale;

/**
 * The machine's theoretical FP32 peak: cores × FMA units per core × FP32 lanes per FMA × 2 FLOP per FMA × clock.
 *
 * @param cores            logical processors used (each is a core here: one thread per core)
 * @param fmaUnits         FMA pipes per core
 * @param lanes            FP32 lanes per FMA instruction the pipes execute at full rate
 * @param ghz              the clock in GHz
 * @param microarchitecture how the FMA units and width were decided, e.g. "AMD Zen 3: 2 × 256-bit FMA pipes"
 */
public record FpPeak(int cores, int fmaUnits, int lanes, double ghz, String microarchitecture) {

    /** The peak in GFLOP/s. */
    public double gflops() {
        return cores * fmaUnits * lanes * 2.0 * ghz;
    }

    /** The same core's peak on another number of cores. */
    public FpPeak onCores(int n) {
        return new FpPeak(n, fmaUnits, lanes, ghz, microarchitecture);
    }

    /** The clock at which {@code gflops} would be this machine's peak: how far a measurement implies it boosts. */
    public double impliedGhz(double gflops) {
        return gflops / (cores * fmaUnits * lanes * 2.0);
    }

    /** The formula with the numbers, e.g. "2 cores × 2 FMA units × 8 lanes × 2 FLOP × 2.445 GHz = 156.5 GFLOP/s". */
    public String formula() {
        return String.format(Locale.ROOT, "%d cores × %d FMA units × %d FP32 lanes × 2 FLOP per FMA × %.3f GHz = %.1f GFLOP/s",
                cores, fmaUnits, lanes, ghz, gflops());
    }

    /** The peak of a machine: its FMA units and width looked up from the CPU family, its clock from cpuinfo. */
    public static FpPeak of(Machine m) {
        boolean avx512 = m.flags().contains("avx512f");
        boolean avx2 = m.flags().contains("avx2") && m.flags().contains("fma");
        String arch;
        int units;
        int lanes;
        if (m.vendor().equals("AuthenticAMD") && m.family() == 23 && m.model() < 0x30) {
            arch = "AMD Zen / Zen+: 2 FMA pipes of 128 bits (a 256-bit FMA takes two)";
            units = 2;
            lanes = 4;
        } else if (m.vendor().equals("AuthenticAMD") && (m.family() == 23 || m.family() == 25)) {
            // Zen 4 (family 25 with AVX-512) runs 512-bit FMAs on its two 256-bit pipes: the same FLOP per cycle.
            arch = m.family() == 23 ? "AMD Zen 2: 2 FMA pipes of 256 bits"
                    : avx512 ? "AMD Zen 4: 2 FMA pipes of 256 bits (AVX-512 double-pumped)"
                    : "AMD Zen 3: 2 FMA pipes of 256 bits";
            units = 2;
            lanes = 8;
        } else if (avx512) {
            arch = "assumed 2 FMA units of 512 bits (AVX-512 server core)";
            units = 2;
            lanes = 16;
        } else if (avx2) {
            arch = "assumed 2 FMA units of 256 bits (AVX2 + FMA core)";
            units = 2;
            lanes = 8;
        } else {
            arch = "assumed 1 multiply-add per cycle of 128 bits (no FMA flag)";
            units = 1;
            lanes = 4;
        }
        return new FpPeak(m.processors(), units, lanes, m.mhz() / 1000.0, arch);
    }
}
