package org.bert4j.heads.train;

import java.util.Locale;

/**
 * How joint training picks the task of the next batch when tasks have different amounts of data.
 * <ul>
 *   <li>{@code PROPORTIONAL}: task t with probability nₜ / Σn, so every example is seen about once an epoch;</li>
 *   <li>{@code TEMPERATURE}: probability ∝ nₜ^(1/T) (T > 1 flattens the mix: a small task is revisited, a large one
 *       is sub-sampled; T = 1 is proportional, T → ∞ uniform);</li>
 *   <li>{@code ROUND_ROBIN}: tasks take turns until each has used its batches.</li>
 * </ul>
 */
public enum TaskSampling {
    PROPORTIONAL, TEMPERATURE, ROUND_ROBIN;

    /** Parses {@code proportional}, {@code temperature} or {@code round-robin}. */
    public static TaskSampling parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "proportional" -> PROPORTIONAL;
            case "temperature" -> TEMPERATURE;
            case "round-robin", "roundrobin" -> ROUND_ROBIN;
            default -> throw new IllegalArgumentException("unknown task sampling '" + name
                    + "' (proportional, temperature, round-robin)");
        };
    }
}
