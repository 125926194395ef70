package org.bert4j.tokenizer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The texts the oracle tests feed to both tokenizers: real English from the shared data (news headlines
 * and descriptions, the seed CSV), sentences recombined from its words, and generated adversarial text
 * (accents and combining marks, CJK, Thai, Arabic, emoji and ZWJ sequences, control and zero-width
 * characters, every Unicode whitespace, punctuation runs, numbers with separators, special tokens in the
 * text, words around the 100-character limit, long inputs). Deterministic: the same seed gives the same texts.
 */
final class OracleCorpus {
    private OracleCorpus() {}

    /** The shared data folder; fails clearly when it is missing rather than testing less. */
    static Path sharedData() {
        String dir = System.getProperty("bert4j.sharedData");
        if (dir == null) {
            throw new IllegalStateException("system property bert4j.sharedData is not set (surefire sets it)");
        }
        Path p = Path.of(dir);
        if (!Files.isRegularFile(p.resolve("news_category_first8000.jsonl"))
                || !Files.isRegularFile(p.resolve("annotated_w_quotes.csv"))) {
            throw new IllegalStateException("shared data is missing: expected news_category_first8000.jsonl and "
                    + "annotated_w_quotes.csv in " + p.toAbsolutePath());
        }
        return p;
    }

    /** Headlines, short descriptions and authors of the 8000 news articles, then the CSV's lines and fields. */
    static List<String> realText() {
        Path data = sharedData();
        List<String> texts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(data.resolve("news_category_first8000.jsonl"), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                for (String field : new String[] {"headline", "short_description", "authors"}) {
                    if (o.has(field) && !o.get(field).isJsonNull()) {
                        texts.add(o.get(field).getAsString());
                    }
                }
            }
            for (String line : Files.readAllLines(data.resolve("annotated_w_quotes.csv"), StandardCharsets.UTF_8)) {
                texts.add(line);
                for (String field : line.split(",")) {
                    texts.add(field);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }

    /** {@code count} English-like sentences recombined from the words of {@code real}. */
    static List<String> recombined(List<String> real, int count, long seed) {
        Random r = new Random(seed);
        List<String> words = new ArrayList<>();
        for (String t : real) {
            for (String w : t.split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        String[] joiners = {" ", " ", " ", " ", " ", ", ", "; ", " - ", "  ", "\n", "\t", " — "};
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = 1 + r.nextInt(40);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < n; k++) {
                if (k > 0) {
                    sb.append(joiners[r.nextInt(joiners.length)]);
                }
                String w = words.get(r.nextInt(words.size()));
                sb.append(switch (r.nextInt(12)) {
                    case 0 -> w.toUpperCase(java.util.Locale.ROOT);
                    case 1 -> w.toLowerCase(java.util.Locale.ROOT);
                    default -> w;
                });
            }
            sb.append(switch (r.nextInt(5)) {
                case 0 -> ".";
                case 1 -> "?";
                case 2 -> "!";
                default -> "";
            });
            out.add(sb.toString());
        }
        return out;
    }

    /** {@code count} adversarial texts, each a random mix of the fragment kinds. */
    static List<String> adversarial(List<String> real, int count, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int fragments = 1 + r.nextInt(12);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < fragments; k++) {
                sb.append(fragment(r, real));
                sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** {@code count} long texts (2,000 to 30,000 characters) of mixed fragments: truncation material. */
    static List<String> longTexts(List<String> real, int count, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int target = 2000 + r.nextInt(28000);
            StringBuilder sb = new StringBuilder();
            while (sb.length() < target) {
                sb.append(r.nextInt(3) == 0 ? fragment(r, real) : real.get(r.nextInt(real.size())));
                sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * Every code point from U+0000 to U+10FFFF (lone surrogates aside, which no UTF-8 string holds), each
     * between two letters ("x\u00e9y") so that whether it is dropped, a space, punctuation, a mark or a
     * letter shows in the tokens; {@code perText} code points per text.
     */
    static List<String> everyCodePoint(int perText) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        int inText = 0;
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                continue;
            }
            sb.append('x').appendCodePoint(c).append("y ");
            if (++inText == perText) {
                out.add(sb.toString());
                sb.setLength(0);
                inText = 0;
            }
        }
        if (inText > 0) {
            out.add(sb.toString());
        }
        return out;
    }

    private static final String[] SEPARATORS = {" ", " ", " ", "", "\t", "\n", "\r\n", "\u00A0", "\u3000", "  ",
        "\u2009", "\u200B", "\u0085"};

    private static final String[] SPECIAL = {"[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[MASK", "MASK]",
        "[mask]", "[[CLS]]", "[CLS][SEP]", "x[MASK]y", "[ CLS ]", "[MASK][MASK]", "[CLS"};

    private static final String[] NUMBERS = {"1,234,567.89", "3.14e-10", "12:30", "1/2", "٣٤٥", "①②③", "½",
        "１２３", "10%", "$3.50", "€1.000,00", "2022-09-23", "+1 (555) 010-9999", "0x1F600", "1e9", "¹²³",
        "٫٬", "१२३", "๑๒๓", "Ⅻ", "3½", "1 000 000", "1'000'000", "-5°C", "#1"};

    private static final String[] ODD = {"İstanbul", "ıi", "straße", "STRASSE", "ẞ", "ﬁne ﬂow", "ＡＢＣａｂｃ",
        "𝐀𝐁𝐂𝑥𝑦", "Ⅻ", "K", "Ω", "Å", "ΌΣΟΣ", "σς", "ἀΐ", "\u037E", "\u0387", "\u1FEF", "\u2126", "Ǆǅǆ", "ŉ",
        "ΐ", "ǰ", "ﬀ", "㍿", "ℌ", "Ⓐ", "ﾊﾟ", "ガ", "\u0344", "\u0F73", "\u0F77", "\u1E9E", "\u1F80", "\u0130",
        "https://www.huffpost.com/entry/a_n_632d?x=1&y=2#frag", "user@example.com", "@user #tag", "C++ C# F#",
        "e.g. i.e. U.S.A.", "don't won't y'all", "'quoted' \"double\" «guillemets» „low” ‘single’",
        "a\u0301\u0316b", "a\u0316\u0301b", "q\u0307\u0323", "e\u0301\u0302\u0303\u0304",
        "\u0915\u094D\u0937", "\u0E01\u0E34\u0E48", "\u05D0\u05B8", "\u0627\u064B\u0670",
        "\uD834\uDD65\u0301", "\uD834\uDD5E", "\u302E\u302F", "\u3099\u309A", "\u0345\u0301"};

    private static String fragment(Random r, List<String> real) {
        return switch (r.nextInt(20)) {
            case 0 -> real.get(r.nextInt(real.size()));
            case 1 -> accented(r);
            case 2 -> randomFrom(r, CJK_RANGES, 1 + r.nextInt(8));
            case 3 -> randomFrom(r, new int[] {0x0E01, 0x0E5B}, 1 + r.nextInt(15)); // Thai
            case 4 -> randomFrom(r, new int[] {0x0600, 0x06FF, 0x0750, 0x077F}, 1 + r.nextInt(12)); // Arabic
            case 5 -> emoji(r);
            case 6 -> randomFrom(r, CONTROL_RANGES, 1 + r.nextInt(4));
            case 7 -> randomFrom(r, WHITESPACE, 1 + r.nextInt(4));
            case 8 -> randomFrom(r, PUNCT_RANGES, 1 + r.nextInt(10));
            case 9 -> NUMBERS[r.nextInt(NUMBERS.length)];
            case 10 -> longWord(r);
            case 11 -> SPECIAL[r.nextInt(SPECIAL.length)];
            case 12 -> ODD[r.nextInt(ODD.length)];
            case 13 -> randomFrom(r, SCRIPT_RANGES, 1 + r.nextInt(10));
            case 14 -> anyCodePoints(r, 1 + r.nextInt(6));
            case 15 -> randomFrom(r, new int[] {0xAC00, 0xD7A3, 0x1100, 0x11FF, 0x3040, 0x30FF}, 1 + r.nextInt(8));
            case 16 -> randomFrom(r, new int[] {0x0300, 0x036F, 0x1AB0, 0x1AFF, 0x20D0, 0x20FF, 0xFE20, 0xFE2F},
                    1 + r.nextInt(4)); // combining marks, also where no base precedes them
            case 17 -> real.get(r.nextInt(real.size())).toUpperCase(java.util.Locale.ROOT);
            case 18 -> randomFrom(r, new int[] {0x21, 0x7E}, 1 + r.nextInt(20)); // ASCII soup
            default -> randomFrom(r, new int[] {0x00A0, 0x024F, 0x0370, 0x04FF, 0x1E00, 0x1FFF}, 1 + r.nextInt(10));
        };
    }

    private static final int[] CJK_RANGES = {0x4E00, 0x9FFF, 0x3400, 0x4DBF, 0x20000, 0x2A6DF, 0x2A700, 0x2B81F,
        0x2B820, 0x2B92F, 0x2B920, 0x2CEAF, 0xF900, 0xFAFF, 0x2F800, 0x2FA1F, 0x3000, 0x303F, 0xFF00, 0xFFEF,
        0x2E80, 0x2FDF, 0x31C0, 0x31EF, 0x30000, 0x3134F};
    private static final int[] CONTROL_RANGES = {0x00, 0x1F, 0x7F, 0x9F, 0x200B, 0x200F, 0x2028, 0x202E,
        0x2060, 0x206F, 0xFEFF, 0xFEFF, 0xFFF0, 0xFFFF, 0x00AD, 0x00AD, 0x180E, 0x180E, 0xE000, 0xE0FF,
        0xE0000, 0xE007F, 0xFFFD, 0xFFFD, 0xF0000, 0xF00FF};
    private static final int[] WHITESPACE = {0x09, 0x0D, 0x1C, 0x20, 0x85, 0x85, 0xA0, 0xA0, 0x1680, 0x1680,
        0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0x180E, 0x180E};
    private static final int[] PUNCT_RANGES = {0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E, 0xA1, 0xBF,
        0x2010, 0x2027, 0x2030, 0x205E, 0x3001, 0x3003, 0x3008, 0x3011, 0xFF01, 0xFF0F, 0xFE10, 0xFE19,
        0x055A, 0x055F, 0x0589, 0x058A, 0x060C, 0x060D, 0x061B, 0x061F, 0x066A, 0x066D, 0x0964, 0x0965,
        0x0E4F, 0x0E5B, 0x2E00, 0x2E5D, 0x1F10D, 0x1F10F};
    private static final int[] SCRIPT_RANGES = {0x0370, 0x03FF, 0x0400, 0x04FF, 0x0590, 0x05FF, 0x0900, 0x097F,
        0x0980, 0x09FF, 0x0A00, 0x0DFF, 0x10A0, 0x10FF, 0x1200, 0x137F, 0x13A0, 0x13FF, 0x1780, 0x17FF,
        0x1800, 0x18AF, 0x1D400, 0x1D7FF, 0x10000, 0x1007F, 0x1E900, 0x1E95F, 0x16A0, 0x16FF, 0xA000, 0xA4CF};

    private static String accented(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> sb.appendCodePoint(0xC0 + r.nextInt(0x250 - 0xC0)); // precomposed Latin
                case 1 -> sb.append((char) ('a' + r.nextInt(26))).appendCodePoint(0x300 + r.nextInt(0x70));
                case 2 -> sb.append((char) ('A' + r.nextInt(26))).appendCodePoint(0x300 + r.nextInt(0x70))
                        .appendCodePoint(0x300 + r.nextInt(0x70));
                default -> sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static String emoji(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> randomFrom(r, new int[] {0x1F300, 0x1FAFF, 0x2600, 0x27BF}, 1 + r.nextInt(5));
            case 1 -> "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66"; // family ZWJ
            case 2 -> "\uD83D\uDC4D" + Character.toString(0x1F3FB + r.nextInt(5)); // skin tone
            case 3 -> "\uD83C\uDDFA\uD83C\uDDF8\uD83C\uDDEB\uD83C\uDDF7"; // flags
            case 4 -> "#\uFE0F\u20E3 1\uFE0F\u20E3 \u2764\uFE0F \u263A\uFE0E";
            default -> "\uD83E\uDDD1\u200D\uD83D\uDCBB\uD83E\uDD72\uD83E\uDEE0word\uD83D\uDE00";
        };
    }

    private static String longWord(Random r) {
        int[] lengths = {99, 100, 101, 150, 98 + r.nextInt(5), 300};
        int n = lengths[r.nextInt(lengths.length)];
        StringBuilder sb = new StringBuilder();
        boolean accents = r.nextBoolean();
        for (int i = 0; i < n; i++) {
            if (accents && r.nextInt(10) == 0) {
                sb.append('e').append('\u0301'); // NFD + strip makes the word shorter: the limit counts after
            } else if (r.nextInt(20) == 0) {
                sb.appendCodePoint(0x1F600 + r.nextInt(50));
            } else {
                sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static String anyCodePoints(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c;
            do {
                c = r.nextInt(4) == 0 ? r.nextInt(0x3134F) : r.nextInt(0x3000);
            } while (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
            sb.appendCodePoint(c);
        }
        return sb.toString();
    }

    /** {@code n} code points drawn from the inclusive {@code [lo, hi]} pairs of {@code ranges}. */
    private static String randomFrom(Random r, int[] ranges, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(ranges.length / 2);
            int c = ranges[2 * k] + r.nextInt(ranges[2 * k + 1] - ranges[2 * k] + 1);
            if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
                sb.appendCodePoint(c);
            }
        }
        return sb.toString();
    }
}
