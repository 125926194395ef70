package org.bert4j.tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures, code point by code point, how Hugging Face's tokenizer treats each character (deleted as a
 * control, a space, punctuation, a non-spacing mark, or a letter) and prints the ranges where that differs
 * from what the JDK's categories predict: the source of {@link HfUnicodeExceptions}. Run by hand:
 * {@code java -cp <test classpath> org.bert4j.tokenizer.HfUnicodeTableGenerator}.
 */
public final class HfUnicodeTableGenerator {
    private HfUnicodeTableGenerator() {}

    enum Kind { CONTROL, SPACE, PUNCT, MARK, LETTER }

    public static void main(String[] args) throws Exception {
        Path uncasedJson = TestTokenizers.file(TestTokenizers.MINILM);
        Path casedJson = NormalizerVariants.write(uncasedJson, "cased", false, false, true, true);
        BertTokenizer oursUncased = BertTokenizer.fromTokenizerJson(uncasedJson);
        BertTokenizer oursCased = BertTokenizer.fromTokenizerJson(casedJson);
        EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE).withAddSpecialTokens(false);
        List<int[]> diffs = new ArrayList<>(); // {codePoint, hfKind, ourKind}
        try (HfOracle hfUncased = HfOracle.open(uncasedJson, Truncation.NONE, 0, false);
             HfOracle hfCased = HfOracle.open(casedJson, Truncation.NONE, 0, false)) {
            for (int chunk = 0; chunk <= Character.MAX_CODE_POINT; chunk += 256) {
                StringBuilder sb = new StringBuilder();
                for (int c = chunk; c < chunk + 256; c++) {
                    if (!Character.isSurrogate((char) c) || c > 0xFFFF) {
                        sb.append('x').appendCodePoint(c).append("y ");
                    }
                }
                String text = sb.toString();
                if (EncodingDiff.firstDifference(hfUncased.encode(text, null), oursUncased.encode(text, options)) == null
                        && EncodingDiff.firstDifference(hfCased.encode(text, null), oursCased.encode(text, options)) == null) {
                    continue;
                }
                for (int c = chunk; c < chunk + 256; c++) {
                    if (c >= 0xD800 && c <= 0xDFFF) {
                        continue;
                    }
                    String probe = "x" + Character.toString(c) + "y";
                    Kind hf = kind(hfCased.encode(probe, null), hfUncased.encode(probe, null), c);
                    Kind ours = kind(oursCased.encode(probe, options), oursUncased.encode(probe, options), c);
                    if (hf != ours) {
                        diffs.add(new int[] {c, hf.ordinal(), ours.ordinal()});
                    }
                }
            }
        }
        printRanges(diffs);
        System.out.println(diffs.size() + " code points differ");
        canonicalOrdering(uncasedJson, oursUncased, options);
    }

    /**
     * Finds the combining marks the JDK reorders but Hugging Face's (older) normalization tables do not:
     * in "a{m}\u0334" canonical ordering moves a known mark m of class > 1 after U+0334, and since Hugging
     * Face hands spans out by position, a kept m then takes U+0334's span.
     */
    private static void canonicalOrdering(Path json, BertTokenizer ours, EncodeOptions options) {
        List<Integer> differ = new ArrayList<>();
        try (HfOracle hf = HfOracle.open(json, Truncation.NONE, 0, false)) {
            for (int c = 0x300; c <= Character.MAX_CODE_POINT; c++) {
                if ((c >= 0xD800 && c <= 0xDFFF) || !isJdkNonStarter(c)) {
                    continue;
                }
                String probe = "a" + Character.toString(c) + "\u0334";
                if (EncodingDiff.firstDifference(hf.encode(probe, null), ours.encode(probe, options)) != null) {
                    differ.add(c);
                }
            }
        }
        System.out.println("marks Hugging Face does not reorder:");
        int i = 0;
        while (i < differ.size()) {
            int j = i;
            while (j + 1 < differ.size() && differ.get(j + 1) == differ.get(j) + 1) {
                j++;
            }
            System.out.printf("0x%04X, 0x%04X,%n", differ.get(i), differ.get(j));
            i = j + 1;
        }
        System.out.println(differ.size() + " marks");
    }

    private static boolean isJdkNonStarter(int c) {
        String m = Character.toString(c);
        if (!java.text.Normalizer.normalize(m, java.text.Normalizer.Form.NFD).equals(m)) {
            return false;
        }
        return !java.text.Normalizer.normalize("\u0301" + m, java.text.Normalizer.Form.NFD).startsWith("\u0301")
                || java.text.Normalizer.normalize(m + "\u0334", java.text.Normalizer.Form.NFD).startsWith("\u0334");
    }

    private static void printRanges(List<int[]> diffs) {
        // Print as ranges of consecutive code points with the same (hf, ours, JDK type).
        int i = 0;
        while (i < diffs.size()) {
            int j = i;
            while (j + 1 < diffs.size() && diffs.get(j + 1)[0] == diffs.get(j)[0] + 1
                    && diffs.get(j + 1)[1] == diffs.get(i)[1] && diffs.get(j + 1)[2] == diffs.get(i)[2]
                    && Character.getType(diffs.get(j + 1)[0]) == Character.getType(diffs.get(i)[0])) {
                j++;
            }
            int[] d = diffs.get(i);
            System.out.printf("0x%04X, 0x%04X, %s  // hf %s, jdk type %d gives %s%n", d[0], diffs.get(j)[0],
                    Kind.values()[d[1]], Kind.values()[d[1]], Character.getType(d[0]), Kind.values()[d[2]]);
            i = j + 1;
        }
    }

    /** What the tokenizer did to {@code c} in "x{c}y", judging from the cased and uncased encodings. */
    static Kind kind(Encoding cased, Encoding uncased, int c) {
        Kind k = shape(cased, c);
        if (k == Kind.LETTER && shape(uncased, c) == Kind.CONTROL) {
            return Kind.MARK; // kept when cased, deleted by strip_accents
        }
        return k;
    }

    private static Kind shape(Encoding e, int c) {
        int cStart = 1;
        int cEnd = 1 + Character.charCount(c);
        int xWord = -2;
        int yWord = -2;
        boolean covered = false;
        boolean isolated = false;
        for (int t = 0; t < e.length(); t++) {
            int s = e.offsetStarts()[t];
            int en = e.offsetEnds()[t];
            if (s == 0) {
                xWord = e.wordIds()[t];
            }
            if (en == cEnd + 1) {
                yWord = e.wordIds()[t];
            }
            if (s < cEnd && en > cStart) {
                covered = true;
                isolated = s == cStart && en == cEnd;
            }
        }
        if (covered) {
            return isolated && xWord != yWord ? Kind.PUNCT : Kind.LETTER;
        }
        return xWord == yWord ? Kind.CONTROL : Kind.SPACE;
    }
}
