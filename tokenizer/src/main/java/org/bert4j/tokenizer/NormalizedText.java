package org.bert4j.tokenizer;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A normalized string that remembers, for each of its code points, which span of the original string it
 * came from: the counterpart of Hugging Face's {@code NormalizedString}.
 *
 * <p>Hugging Face aligns every normalized byte to a byte span of the original; here every normalized code
 * point carries a UTF-16 span {@code [start, end)} of the original Java string, so token offsets come out
 * directly usable with {@link String#substring}. A character produced by expanding another (the "i̇" of a
 * lowercased 'İ', the pieces of a decomposed 'é') inherits its source's span, as in Hugging Face.
 */
final class NormalizedText {
    private static final int[] EMPTY = {};

    private final int[] codePoints;
    private final int[] starts;
    private final int[] ends;
    private final int length;

    private NormalizedText(int[] codePoints, int[] starts, int[] ends, int length) {
        this.codePoints = codePoints;
        this.starts = starts;
        this.ends = ends;
        this.length = length;
    }

    /**
     * The part {@code [from, to)} of {@code original}, not yet normalized. A lone surrogate (which cannot
     * be encoded as UTF-8, so never reaches Hugging Face) is read as U+FFFD, the replacement character.
     */
    static NormalizedText of(String original, int from, int to) {
        int[] cps = new int[to - from];
        int[] st = new int[to - from];
        int[] en = new int[to - from];
        int n = 0;
        for (int i = from; i < to; ) {
            char ch = original.charAt(i);
            int cp = ch;
            int width = 1;
            if (Character.isHighSurrogate(ch) && i + 1 < to && Character.isLowSurrogate(original.charAt(i + 1))) {
                cp = Character.toCodePoint(ch, original.charAt(i + 1));
                width = 2;
            } else if (Character.isSurrogate(ch)) {
                cp = 0xFFFD;
            }
            cps[n] = cp;
            st[n] = i;
            en[n] = i + width;
            n++;
            i += width;
        }
        return new NormalizedText(cps, st, en, n);
    }

    int length() {
        return length;
    }

    int codePointAt(int index) {
        return codePoints[index];
    }

    /** Where the normalized code point {@code index} starts in the original string (UTF-16 index). */
    int originalStart(int index) {
        return starts[index];
    }

    /** Where the normalized code point {@code index} ends in the original string (UTF-16 index, exclusive). */
    int originalEnd(int index) {
        return ends[index];
    }

    /** The normalized code points {@code [from, to)} as a string. */
    String substring(int from, int to) {
        return new String(codePoints, from, to - from);
    }

    @Override
    public String toString() {
        return substring(0, length);
    }

    /**
     * Replaces every code point by the code points {@code mapping} gives for it (none removes it); the
     * replacements keep the span of the code point they replace.
     */
    NormalizedText flatMap(IntFunction<int[]> mapping) {
        int capacity = Math.max(length, 4);
        int[] cps = new int[capacity];
        int[] st = new int[capacity];
        int[] en = new int[capacity];
        int n = 0;
        for (int i = 0; i < length; i++) {
            int[] out = mapping.apply(codePoints[i]);
            if (n + out.length > cps.length) {
                int grown = Math.max(cps.length * 2, n + out.length);
                cps = Arrays.copyOf(cps, grown);
                st = Arrays.copyOf(st, grown);
                en = Arrays.copyOf(en, grown);
            }
            for (int c : out) {
                cps[n] = c;
                st[n] = starts[i];
                en[n] = ends[i];
                n++;
            }
        }
        return new NormalizedText(cps, st, en, n);
    }

    /** Keeps the code points {@code keep} accepts. */
    NormalizedText filter(java.util.function.IntPredicate keep) {
        return flatMap(c -> keep.test(c) ? new int[] {c} : EMPTY);
    }

    /**
     * Canonical decomposition (NFD): each code point decomposed, then every run of combining marks put in
     * canonical order.
     *
     * <p>The spans follow Hugging Face's {@code NormalizedString::transform} exactly: the decomposition
     * yields each new character with a "change" (0 if it replaces an original character, 1 if it is an
     * extra piece of one), and spans are then handed out by position, not by identity: a character with
     * change 0 takes the span of the next original character, one with change 1 the span of the previous.
     * So when canonical ordering moves a mark, the span stays where it was, as in Hugging Face.
     */
    NormalizedText nfd() {
        int[] cps = new int[length + 4];
        int[] changes = new int[length + 4];
        int n = 0;
        for (int i = 0; i < length; i++) {
            int[] pieces = BertCharacters.nfd(codePoints[i]);
            if (n + pieces.length > cps.length) {
                cps = Arrays.copyOf(cps, Math.max(cps.length * 2, n + pieces.length));
                changes = Arrays.copyOf(changes, cps.length);
            }
            for (int k = 0; k < pieces.length; k++) {
                cps[n] = pieces[k];
                changes[n] = k == 0 ? 0 : 1;
                n++;
            }
        }
        reorderCombiningMarks(cps, changes, n);
        int[] st = new int[n];
        int[] en = new int[n];
        int consumed = 0;
        for (int k = 0; k < n; k++) {
            if (changes[k] == 0) {
                st[k] = starts[consumed];
                en[k] = ends[consumed];
                consumed++;
            } else if (consumed > 0) {
                st[k] = starts[consumed - 1];
                en[k] = ends[consumed - 1];
            }
        }
        return new NormalizedText(cps, st, en, n);
    }

    /** Puts each run of non-starters in canonical order; the changes travel with their characters. */
    private static void reorderCombiningMarks(int[] cps, int[] changes, int n) {
        java.util.Map<Integer, Boolean> nonStarter = new java.util.HashMap<>();
        int i = 0;
        while (i < n) {
            if (!nonStarter.computeIfAbsent(cps[i], BertCharacters::isNonStarter)) {
                i++;
                continue;
            }
            int runEnd = i + 1;
            while (runEnd < n && nonStarter.computeIfAbsent(cps[runEnd], BertCharacters::isNonStarter)) {
                runEnd++;
            }
            if (runEnd - i > 1) {
                reorderRun(cps, changes, i, runEnd);
            }
            i = runEnd;
        }
    }

    /**
     * Sorts the marks {@code [from, to)} by combining class, stably (canonical ordering). The JDK exposes
     * no combining classes, but comparing two marks is one tiny NFD; and a stable sort, unlike the
     * insertion the JDK's NFD does, stays fast on runs of many thousand marks.
     */
    private static void reorderRun(int[] cps, int[] changes, int from, int to) {
        int[] distinct = java.util.Arrays.stream(cps, from, to).distinct().toArray();
        java.util.Map<Integer, Integer> rank = new java.util.HashMap<>();
        for (int a : distinct) {
            int below = 0;
            for (int b : distinct) {
                if (b != a && BertCharacters.hasLowerCombiningClass(b, a)) {
                    below++;
                }
            }
            rank.put(a, below); // marks of equal class get equal ranks
        }
        long[] keys = new long[to - from];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = ((long) rank.get(cps[from + k]) << 32) | k;
        }
        java.util.Arrays.sort(keys);
        int[] sortedCps = new int[keys.length];
        int[] sortedChanges = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            int original = from + (int) keys[k];
            sortedCps[k] = cps[original];
            sortedChanges[k] = changes[original];
        }
        System.arraycopy(sortedCps, 0, cps, from, keys.length);
        System.arraycopy(sortedChanges, 0, changes, from, keys.length);
    }
}
