package org.bert4j.heads.ner;

import java.util.Locale;

/**
 * How token predictions become entities, named and behaving as Hugging Face's TokenClassificationPipeline's
 * {@code aggregation_strategy}.
 *
 * <ul>
 *   <li>{@code NONE}: every non-{@code O} token on its own, labelled with its full tag.</li>
 *   <li>{@code SIMPLE}: each token keeps its own arg-max tag; adjacent tokens of one type are grouped unless
 *       the next one says {@code B-}. As in Hugging Face, a sub-word token can then disagree with its word.</li>
 *   <li>{@code FIRST}: a word takes the tag of its first sub-token.</li>
 *   <li>{@code AVERAGE}: a word takes the arg-max of its sub-tokens' averaged probabilities.</li>
 *   <li>{@code MAX}: a word takes the tag of its most confident sub-token.</li>
 * </ul>
 * With FIRST, AVERAGE and MAX, sub-word pieces never split an entity or stand as one alone.
 */
public enum AggregationStrategy {
    NONE, SIMPLE, FIRST, AVERAGE, MAX;

    /** Whether words (not tokens) are the unit tags are decided on. */
    public boolean byWord() {
        return this == FIRST || this == AVERAGE || this == MAX;
    }

    /** Parses a strategy name as Hugging Face writes it ({@code simple}, {@code first}, ...). */
    public static AggregationStrategy parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown aggregation strategy '" + name
                    + "' (none, simple, first, average, max)");
        }
    }
}
