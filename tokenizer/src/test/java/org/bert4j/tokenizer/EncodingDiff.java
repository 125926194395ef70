package org.bert4j.tokenizer;

/** Describes where two encodings first differ, for failure messages that point at the problem. */
final class EncodingDiff {
    private EncodingDiff() {}

    /** Null if equal; else the first differing token position with both sides shown around it. */
    static String firstDifference(Encoding expected, Encoding actual) {
        int n = Math.max(expected.length(), actual.length());
        for (int i = 0; i < n; i++) {
            if (i >= expected.length() || i >= actual.length() || !sameToken(expected, actual, i)) {
                return "first difference at token " + i + " (lengths " + expected.length() + " vs "
                        + actual.length() + ")\n  expected: " + window(expected, i) + "\n  actual:   "
                        + window(actual, i);
            }
        }
        return null;
    }

    private static boolean sameToken(Encoding a, Encoding b, int i) {
        return a.ids()[i] == b.ids()[i] && a.typeIds()[i] == b.typeIds()[i]
                && a.attentionMask()[i] == b.attentionMask()[i]
                && a.specialTokensMask()[i] == b.specialTokensMask()[i]
                && a.offsetStarts()[i] == b.offsetStarts()[i] && a.offsetEnds()[i] == b.offsetEnds()[i]
                && a.wordIds()[i] == b.wordIds()[i] && a.sequenceIds()[i] == b.sequenceIds()[i]
                && a.tokens()[i].equals(b.tokens()[i]);
    }

    private static String window(Encoding e, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, at - 2); i < Math.min(e.length(), at + 3); i++) {
            sb.append(i == at ? ">>" : "").append(e.tokens()[i]).append('#').append(e.ids()[i])
                    .append(" (").append(e.offsetStarts()[i]).append(',').append(e.offsetEnds()[i])
                    .append(") w").append(e.wordIds()[i]).append(" t").append(e.typeIds()[i])
                    .append(" s").append(e.sequenceIds()[i]).append(" sp").append(e.specialTokensMask()[i])
                    .append(" m").append(e.attentionMask()[i]).append(i == at ? "<<" : "").append("  ");
        }
        return sb.toString();
    }

    /** The text with everything outside printable ASCII escaped, so a failure shows exactly what went in. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < s.length() && shown < 300; ) {
            int c = s.codePointAt(i);
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\u{%X}", c));
            }
            i += Character.charCount(c);
            shown++;
        }
        if (shown == 300) {
            sb.append("... (").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }
}
