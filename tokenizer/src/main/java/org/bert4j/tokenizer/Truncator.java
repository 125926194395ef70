package org.bert4j.tokenizer;

/**
 * How many tokens of each sequence survive truncation: Hugging Face's {@code truncate_encodings} with
 * stride 0, cutting at the right.
 */
final class Truncator {
    private Truncator() {}

    /**
     * The kept lengths {@code {first, second}} of sequences of {@code first} and {@code second} tokens
     * ({@code second} is -1 for a single sequence) so that together they fit {@code budget} tokens, the
     * special tokens already subtracted.
     */
    static int[] keptLengths(int first, int second, int budget, Truncation strategy) {
        boolean pair = second >= 0;
        int secondLength = pair ? second : 0;
        if (strategy == Truncation.NONE) {
            return new int[] {first, secondLength};
        }
        if (budget == 0) {
            return new int[] {0, 0};
        }
        int total = first + secondLength;
        if (total <= budget) {
            return new int[] {first, secondLength};
        }
        int toRemove = total - budget;
        switch (strategy) {
            case LONGEST_FIRST -> {
                if (!pair) {
                    return new int[] {budget, 0};
                }
                // With n1 <= n2: only the longer one is cut if the shorter leaves it room; else both get half.
                int n1 = first;
                int n2 = second;
                boolean swap = n1 > n2;
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                n2 = n1 > budget ? n1 : Math.max(n1, budget - n1);
                if (n1 + n2 > budget) {
                    n1 = budget / 2;
                    n2 = n1 + budget % 2;
                }
                return swap ? new int[] {Math.min(first, n2), Math.min(second, n1)}
                        : new int[] {Math.min(first, n1), Math.min(second, n2)};
            }
            case ONLY_FIRST -> {
                if (first <= toRemove) {
                    throw tooShort("first", first, toRemove);
                }
                return new int[] {first - toRemove, secondLength};
            }
            case ONLY_SECOND -> {
                if (!pair) {
                    throw new IllegalArgumentException(
                            "Truncation.ONLY_SECOND needs a pair of texts, but a single text is "
                                    + (total - budget) + " tokens too long");
                }
                if (second <= toRemove) {
                    throw tooShort("second", second, toRemove);
                }
                return new int[] {first, second - toRemove};
            }
            default -> throw new AssertionError(strategy);
        }
    }

    private static IllegalArgumentException tooShort(String which, int length, int toRemove) {
        return new IllegalArgumentException("cannot truncate only the " + which + " sequence: it has " + length
                + " tokens but " + toRemove + " must go to respect maxLength; use Truncation.LONGEST_FIRST");
    }
}
