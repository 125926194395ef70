package org.bert4j.bench.report;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Tokenizer throughput in MB/s of input text, from a benchmark's {@code bytes} counter (bytes of UTF-8 input
 * tokenized, per second) or {@code mb} counter; without one, only the ratio of calls per second is known.
 */
final class TokenizerRates {

    private TokenizerRates() {
    }

    /** MB/s (10⁶ bytes of UTF-8 input per second), if the benchmark counts its input. */
    static OptionalDouble mbPerSecond(JmhResult r) {
        if (r.metric("bytes").isPresent()) {
            return OptionalDouble.of(r.metric("bytes").get().perSecond() / 1e6);
        }
        if (r.metric("mb").isPresent()) {
            return OptionalDouble.of(r.metric("mb").get().perSecond());
        }
        if (r.primary().unit().equalsIgnoreCase("MB/s")) {
            return OptionalDouble.of(r.primary().score());
        }
        return OptionalDouble.empty();
    }

    /** What the report calls a tokenizer input: its parameter values ("news"), or its class without parameters. */
    static String label(JmhResult ours, Map<String, String> params) {
        String text = String.join(" · ", params.values());
        return text.isEmpty() ? ours.className().replaceFirst("Benchmark$", "") : text;
    }
}
