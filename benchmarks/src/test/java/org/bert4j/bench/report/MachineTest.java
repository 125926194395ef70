package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineTest {

    /** /proc/cpuinfo of the benchmark machine: a 2-vCPU KVM guest on an AMD EPYC (Zen 3, family 25 model 1). */
    private static final Machine EPYC = Machine.parseCpuinfo(Samples.text("cpuinfo-epyc-kvm.txt"));

    @Test
    void readsTheCpuFactsOfARealCpuinfo() {
        assertEquals("AMD EPYC", EPYC.modelName());
        assertEquals("AuthenticAMD", EPYC.vendor());
        assertEquals(25, EPYC.family());
        assertEquals(1, EPYC.model());
        assertEquals(2, EPYC.processors());
        assertEquals(2445.432, EPYC.mhz(), 1e-9);
        assertEquals("AVX2 + FMA", EPYC.simd());
    }

    @Test
    void theZen3PeakIsTwoCoresTimesTwoFmaPipesOfEightLanesTimesTwoTimesTheClock() {
        FpPeak peak = FpPeak.of(EPYC);

        assertEquals(2, peak.cores());
        assertEquals(2, peak.fmaUnits());
        assertEquals(8, peak.lanes());
        assertEquals(2 * 2 * 8 * 2 * 2.445432, peak.gflops(), 1e-9);
        assertTrue(peak.microarchitecture().contains("Zen 3"), peak.microarchitecture());
        assertEquals("2 cores × 2 FMA units × 8 FP32 lanes × 2 FLOP per FMA × 2.445 GHz = 156.5 GFLOP/s",
                peak.formula());
    }

    @Test
    void aMeasuredRateAboveThePeakImpliesTheClockItNeeds() {
        FpPeak peak = FpPeak.of(EPYC);

        assertEquals(3.125, peak.impliedGhz(200), 1e-12);
    }

    @Test
    void anAvx512IntelCoreCountsSixteenLanes() {
        Machine xeon = new Machine("Intel Xeon", "GenuineIntel", 6, 85, 4, 3000, Set.of("avx2", "fma", "avx512f"));

        FpPeak peak = FpPeak.of(xeon);

        assertEquals(16, peak.lanes());
        assertEquals(4 * 2 * 16 * 2 * 3.0, peak.gflops(), 1e-9);
        assertEquals("AVX-512 + FMA", xeon.simd());
    }

    @Test
    void textWithoutProcessorsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Machine.parseCpuinfo("nothing: here\n"));
    }
}
