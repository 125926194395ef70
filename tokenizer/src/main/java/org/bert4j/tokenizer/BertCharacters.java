package org.bert4j.tokenizer;

import java.text.Normalizer;

/**
 * The character classes Hugging Face's BertNormalizer and BertPreTokenizer use, defined exactly as there.
 *
 * <p>Hugging Face takes "control" (Cc, Cf, Co, Cs), "punctuation" (P*) and "non-spacing mark" (Mn) from
 * the {@code unicode_categories} crate, "whitespace" from Rust's {@code char::is_whitespace} (the Unicode
 * White_Space property, which differs from {@link Character#isWhitespace}), and lowercasing from Rust's
 * {@code char::to_lowercase} (full mappings: 'İ' becomes "i̇"). The JDK's Unicode tables are newer than the
 * crate's for a handful of code points; {@link HfUnicodeExceptions} lists them, measured against the real
 * library code point by code point.
 */
final class BertCharacters {
    private BertCharacters() {}

    /** Rust's {@code char::is_whitespace} (the Unicode White_Space property), which BertNormalizer also uses. */
    static boolean isWhitespace(int c) {
        return switch (c) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /**
     * BertNormalizer's is_control: categories Cc, Cf, Co, Cs, except tab, newline and carriage return. Hugging
     * Face's comment says Cn too, but its category tables come from UnicodeData.txt, which lists no
     * unassigned code point: an unassigned character is kept, as a letter would be.
     */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int override = HfUnicodeExceptions.category(c);
        int type = override >= 0 ? override : Character.getType(c);
        return switch (type) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** BertPreTokenizer's is_bert_punc: ASCII punctuation or any Unicode P* category. */
    static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        int override = HfUnicodeExceptions.category(c);
        int type = override >= 0 ? override : Character.getType(c);
        return switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Category Mn, the marks strip_accents removes after NFD. */
    static boolean isNonspacingMark(int c) {
        int override = HfUnicodeExceptions.category(c);
        int type = override >= 0 ? override : Character.getType(c);
        return type == Character.NON_SPACING_MARK;
    }

    /**
     * The CJK ideograph blocks that handle_chinese_chars surrounds with spaces (the ranges of Google's
     * original BERT, as Hugging Face has them; Hangul, Hiragana and Katakana are not among them).
     */
    static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF)
                || (c >= 0x3400 && c <= 0x4DBF)
                || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F)
                || (c >= 0x2B740 && c <= 0x2B81F)
                || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF)
                || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /** Rust's {@code char::to_lowercase}: the simple mapping, plus the one unconditional full mapping. */
    static int[] lowercase(int c) {
        if (c == 0x130) {
            return new int[] {'i', 0x307};
        }
        return new int[] {Character.toLowerCase(c)};
    }

    /**
     * The canonical decomposition (NFD) of one code point, as code points. A character Hugging Face's
     * Unicode tables do not know is left whole, as they leave it.
     */
    static int[] nfd(int c) {
        if (c < 0xC0 || HfUnicodeExceptions.isUnknown(c) || (c >= 0x4E00 && c <= 0x9FFF)) {
            return new int[] {c}; // nothing below U+00C0 decomposes, nor does a CJK unified ideograph
        }
        int type = Character.getType(c);
        if (type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
            return new int[] {c};
        }
        String s = Character.toString(c);
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        return d.equals(s) ? new int[] {c} : d.codePoints().toArray();
    }

    /**
     * Whether {@code c} has a non-zero canonical combining class, so canonical ordering may move it. The JDK
     * does not expose combining classes; its NFD reorders a mark of class 1..229 before U+0301 (class 230)
     * and one of class 2 or more after U+0334 (class 1), which together find every non-starter. Marks newer
     * than Hugging Face's normalization tables are starters (class 0) for it, so they are here too.
     */
    static boolean isNonStarter(int c) {
        if (c < 0x300 || HfUnicodeExceptions.isStarterForHf(c)) {
            return false;
        }
        int type = Character.getType(c);
        if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK) {
            return false; // every character with a non-zero combining class is a mark (Mn or Mc)
        }
        String mark = Character.toString(c);
        if (!Normalizer.normalize(mark, Normalizer.Form.NFD).equals(mark)) {
            return false; // only called on decomposed text, where this does not occur
        }
        return !Normalizer.normalize("\u0301" + mark, Normalizer.Form.NFD).startsWith("\u0301")
                || Normalizer.normalize(mark + "\u0334", Normalizer.Form.NFD).startsWith("\u0334");
    }

    /**
     * Whether non-starter {@code b} has a lower combining class than non-starter {@code a}: then canonical
     * ordering puts b first, which NFD of "a b" shows.
     */
    static boolean hasLowerCombiningClass(int b, int a) {
        String pair = Character.toString(a) + Character.toString(b);
        return Normalizer.normalize(pair, Normalizer.Form.NFD).codePointAt(0) == b;
    }
}
