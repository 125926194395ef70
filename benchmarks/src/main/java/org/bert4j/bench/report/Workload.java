package org.bert4j.bench.report;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one call of a whole-model benchmark processes, read from its parameters: a {@code shape} parameter
 * "<batch>x<tokens>" (e.g. "32x128"), or {@code batch} and {@code tokens} parameters. A shape of mixed lengths
 * has no single token count; its batch size comes from the shape ("20xseed": 20 sentences), a {@code batch}
 * parameter or a {@code sentences} counter, and is unknown otherwise (e.g. plain "seed").
 *
 * @param label  how the report names the shape, e.g. "32×128"
 * @param batch  sentences per call, if known
 * @param tokens tokens per sentence, if every sentence has the same length
 */
public record Workload(String label, OptionalInt batch, OptionalInt tokens) {

    private static final Pattern BATCH_X_TOKENS = Pattern.compile("(\\d+)\\s*[x×]\\s*(\\d+)");
    private static final Pattern BATCH_X_NAME = Pattern.compile("(\\d+)\\s*[x×]\\s*(\\D.*)");

    /** The workload of a result. */
    public static Workload of(JmhResult r) {
        Optional<String> shape = r.param("shape");
        if (shape.isPresent()) {
            Matcher m = BATCH_X_TOKENS.matcher(shape.get());
            if (m.matches()) {
                int b = Integer.parseInt(m.group(1));
                int t = Integer.parseInt(m.group(2));
                return new Workload(b + "×" + t, OptionalInt.of(b), OptionalInt.of(t));
            }
            Matcher named = BATCH_X_NAME.matcher(shape.get());
            if (named.matches()) {
                int b = Integer.parseInt(named.group(1));
                return new Workload(b + "×" + named.group(2), OptionalInt.of(b), OptionalInt.empty());
            }
        }
        OptionalInt batch = intParam(r, "batch").isPresent() ? intParam(r, "batch") : intParam(r, "batchSize");
        OptionalInt tokens = intParam(r, "tokens").isPresent() ? intParam(r, "tokens") : intParam(r, "length");
        String label = shape.orElse(batch.isPresent() && tokens.isPresent()
                ? batch.getAsInt() + "×" + tokens.getAsInt() : batch.isPresent() ? "batch " + batch.getAsInt() : "—");
        return new Workload(label, batch, tokens);
    }

    private static OptionalInt intParam(JmhResult r, String name) {
        Optional<String> v = r.param(name);
        if (v.isEmpty() || !v.get().matches("\\d+")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(v.get()));
    }

    /**
     * Sentences per second of a result: its {@code sentences} counter if it has one, else its calls per second
     * times the batch size; empty when neither is known.
     */
    public static OptionalDouble sentencesPerSecond(JmhResult r) {
        Optional<Metric> counter = r.metric("sentences");
        if (counter.isPresent()) {
            return OptionalDouble.of(counter.get().perSecond());
        }
        OptionalInt batch = of(r).batch();
        return batch.isPresent() ? OptionalDouble.of(r.primary().perSecond() * batch.getAsInt())
                : OptionalDouble.empty();
    }
}
