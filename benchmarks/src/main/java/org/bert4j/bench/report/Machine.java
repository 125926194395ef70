package org.bert4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CPU the benchmarks ran on, as Linux describes it in {@code /proc/cpuinfo}.
 *
 * @param modelName  the {@code model name} line, e.g. "AMD EPYC" (a KVM guest often hides the exact part)
 * @param vendor     the {@code vendor_id}, e.g. "AuthenticAMD"
 * @param family     the {@code cpu family} (AMD 25 = Zen 3 / Zen 4)
 * @param model      the {@code model} number within the family
 * @param processors how many logical processors the OS offers
 * @param mhz        the mean {@code cpu MHz}; in a KVM guest this is the nominal (TSC) clock, not the boost clock
 * @param flags      the instruction-set flags, e.g. avx2, fma, avx512f
 */
public record Machine(String modelName, String vendor, int family, int model, int processors, double mhz,
                      Set<String> flags) {

    /** Copies the flags. */
    public Machine {
        flags = Set.copyOf(flags);
    }

    /** Reads {@code /proc/cpuinfo}. */
    public static Machine probe() throws IOException {
        return parseCpuinfo(Files.readString(Path.of("/proc/cpuinfo")));
    }

    /** Parses the text of {@code /proc/cpuinfo} (one "key : value" block per logical processor). */
    public static Machine parseCpuinfo(String cpuinfo) {
        String modelName = "unknown";
        String vendor = "unknown";
        int family = -1;
        int model = -1;
        int processors = 0;
        double mhzSum = 0;
        int mhzCount = 0;
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> processors++;
                case "model name" -> modelName = value;
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = Integer.parseInt(value);
                case "model" -> model = Integer.parseInt(value);
                case "cpu MHz" -> {
                    mhzSum += Double.parseDouble(value);
                    mhzCount++;
                }
                case "flags" -> flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toSet());
                default -> { }
            }
        }
        if (processors == 0) {
            throw new IllegalArgumentException("cpuinfo: no \"processor\" line");
        }
        return new Machine(modelName, vendor, family, model, processors, mhzCount == 0 ? Double.NaN : mhzSum / mhzCount,
                flags);
    }

    /** The SIMD extensions that matter for FP32 throughput, e.g. "AVX2 + FMA". */
    public String simd() {
        String vector = flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2"
                : flags.contains("avx") ? "AVX" : "SSE";
        return flags.contains("fma") ? vector + " + FMA" : vector;
    }

    /** One line for a report, e.g. "AMD EPYC (family 25, model 1), 2 logical processors, AVX2 + FMA, 2445 MHz". */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%s family %d, model %d), %d logical processors, %s, %.0f MHz",
                modelName, vendor, family, model, processors, simd(), mhz);
    }
}
