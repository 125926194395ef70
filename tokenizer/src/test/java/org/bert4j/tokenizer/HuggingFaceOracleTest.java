package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bert4j against Hugging Face's own Rust tokenizer on well over 100,000 texts: ids, type ids, attention and
 * special-token masks, offsets (converted from the oracle's code point offsets to UTF-16), word and sequence
 * ids must all be equal, token by token. A mismatch prints the text and the first differing position.
 */
class HuggingFaceOracleTest {
    private static List<String> real;
    private static List<String> recombined;
    private static List<String> adversarial;
    private static List<String> longTexts;
    private static List<String> codePoints;
    private static int compared;

    @BeforeAll
    static void buildCorpus() {
        real = OracleCorpus.realText();
        recombined = OracleCorpus.recombined(real, 32_000, 1);
        adversarial = OracleCorpus.adversarial(real, 45_000, 2);
        longTexts = OracleCorpus.longTexts(real, 150, 3);
        codePoints = OracleCorpus.everyCodePoint(128);
    }

    @Test
    void singleTextsMatchMiniLm() {
        BertTokenizer ours = TestTokenizers.minilm();
        try (HfOracle oracle = HfOracle.open(TestTokenizers.file(TestTokenizers.MINILM))) {
            EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE);
            int n = 0;
            Mismatches m = new Mismatches("MiniLM single texts");
            for (List<String> part : List.of(real, recombined, adversarial, longTexts)) {
                for (String text : part) {
                    m.check(text, null, oracle.encode(text, null), () -> ours.encode(text, options));
                    n++;
                }
            }
            m.assertNone();
            assertTrue(n >= 100_000, "the corpus has only " + n + " texts");
            System.out.println("[oracle] MiniLM: " + n + " single texts identical");
        }
    }

    @Test
    void everyCodePointMatches() {
        BertTokenizer ours = TestTokenizers.minilm();
        try (HfOracle oracle = HfOracle.open(TestTokenizers.file(TestTokenizers.MINILM))) {
            EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE);
            Mismatches m = new Mismatches("every code point");
            for (String text : codePoints) {
                m.check(text, null, oracle.encode(text, null), () -> ours.encode(text, options));
            }
            m.assertNone();
        }
    }


    /** Every kind of text, as one pool to draw pairs and samples from. */
    private static List<String> pool() {
        List<String> all = new ArrayList<>(real);
        all.addAll(recombined);
        all.addAll(adversarial);
        all.addAll(longTexts);
        all.addAll(List.of("", " ", "\t\n", "\u0000", "[SEP]", "a"));
        return all;
    }

    private static List<String[]> pairs(int count, long seed) {
        List<String> all = pool();
        Random r = new Random(seed);
        List<String[]> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(new String[] {all.get(r.nextInt(all.size())), all.get(r.nextInt(all.size()))});
        }
        pairs.add(new String[] {"", ""});
        pairs.add(new String[] {"question?", ""});
        pairs.add(new String[] {"", "answer."});
        return pairs;
    }

    private static List<String> sample(int count, long seed) {
        List<String> all = pool();
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(all.get(r.nextInt(all.size())));
        }
        return out;
    }

    @Test
    void pairsMatch() {
        BertTokenizer ours = TestTokenizers.minilm();
        try (HfOracle oracle = HfOracle.open(TestTokenizers.file(TestTokenizers.MINILM))) {
            EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE);
            Mismatches m = new Mismatches("MiniLM pairs");
            for (String[] p : pairs(20_000, 4)) {
                m.check(p[0], p[1], oracle.encode(p[0], p[1]), () -> ours.encodePair(p[0], p[1], options));
            }
            m.assertNone();
        }
    }

    @Test
    void truncationMatches() {
        BertTokenizer ours = TestTokenizers.minilm();
        Path json = TestTokenizers.file(TestTokenizers.MINILM);
        List<String> singles = sample(400, 5);
        List<String[]> pairs = pairs(400, 6);
        // Long texts too, so that every length is exercised, including cutting inside a long text.
        singles.addAll(longTexts.subList(0, 10));
        for (Truncation strategy : List.of(Truncation.LONGEST_FIRST, Truncation.ONLY_FIRST, Truncation.ONLY_SECOND)) {
            for (int maxLength : new int[] {4, 7, 16, 33, 128, 512}) {
                EncodeOptions options = EncodeOptions.defaults().withTruncation(strategy).withMaxLength(maxLength);
                Mismatches m = new Mismatches("truncation " + strategy + " to " + maxLength);
                try (HfOracle oracle = HfOracle.open(json, strategy, maxLength, true)) {
                    for (String text : singles) {
                        m.checkOrError(text, null, () -> oracle.encode(text, null), () -> ours.encode(text, options));
                    }
                    for (String[] p : pairs) {
                        m.checkOrError(p[0], p[1], () -> oracle.encode(p[0], p[1]),
                                () -> ours.encodePair(p[0], p[1], options));
                    }
                }
                m.assertNone();
            }
        }
    }

    @Test
    void withoutSpecialTokensMatches() {
        BertTokenizer ours = TestTokenizers.minilm();
        EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE).withAddSpecialTokens(false);
        try (HfOracle oracle = HfOracle.open(TestTokenizers.file(TestTokenizers.MINILM), Truncation.NONE, 0, false)) {
            Mismatches m = new Mismatches("no special tokens");
            for (String text : sample(3000, 7)) {
                m.check(text, null, oracle.encode(text, null), () -> ours.encode(text, options));
            }
            for (String[] p : pairs(3000, 8)) {
                m.check(p[0], p[1], oracle.encode(p[0], p[1]), () -> ours.encodePair(p[0], p[1], options));
            }
            m.assertNone();
        }
    }

    @Test
    void bgeMatches() throws IOException {
        Path json = TestTokenizers.file(TestTokenizers.BGE);
        BertTokenizer ours = BertTokenizer.fromTokenizerJson(json);
        EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE);
        try (HfOracle oracle = HfOracle.open(json)) {
            Mismatches m = new Mismatches("bge-small-en-v1.5");
            for (String text : sample(8000, 9)) {
                m.check(text, null, oracle.encode(text, null), () -> ours.encode(text, options));
            }
            for (String[] p : pairs(2000, 10)) {
                m.check(p[0], p[1], oracle.encode(p[0], p[1]), () -> ours.encodePair(p[0], p[1], options));
            }
            m.assertNone();
        }
    }

    /** Cased models, and every other combination of the normalizer's switches, on rewritten tokenizer.json files. */
    @Test
    void normalizerVariantsMatch() throws IOException {
        Path source = TestTokenizers.file(TestTokenizers.MINILM);
        EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE);
        List<String> texts = sample(2500, 11);
        boolean[][] variants = {
            {false, false, true, true}, // cased: no lowercase, no accent stripping
            {true, false, true, true},  // lowercase, keep accents
            {false, true, true, true},  // strip accents, keep case
            {true, true, false, true},  // no text cleaning
            {true, true, true, false},  // no CJK spacing
            {false, false, false, false}, // nothing at all
        };
        for (boolean[] v : variants) {
            String name = "lc" + v[0] + "-strip" + v[1] + "-clean" + v[2] + "-cjk" + v[3];
            Path json = NormalizerVariants.write(source, name, v[0], v[1], v[2], v[3]);
            BertTokenizer ours = BertTokenizer.fromTokenizerJson(json);
            assertEquals(new BertNormalizer(v[2], v[3], v[1], v[0]), ours.normalizer());
            try (HfOracle oracle = HfOracle.open(json)) {
                Mismatches m = new Mismatches("normalizer " + name);
                for (String text : texts) {
                    m.check(text, null, oracle.encode(text, null), () -> ours.encode(text, options));
                }
                m.assertNone();
            }
        }
    }

    @Test
    void paddedBatchesMatch() {
        BertTokenizer ours = TestTokenizers.minilm();
        Path json = TestTokenizers.file(TestTokenizers.MINILM);
        List<String> texts = sample(1200, 13);
        Object[][] configs = {{"LONGEST", 0, 0}, {"LONGEST", 0, 8}, {"MAX_LENGTH", 48, 0}};
        for (Object[] c : configs) {
            String padding = (String) c[0];
            int maxLength = (int) c[1];
            int multiple = (int) c[2];
            EncodeOptions options = EncodeOptions.defaults()
                    .withPadding(padding.equals("LONGEST") ? Padding.LONGEST : Padding.MAX_LENGTH)
                    .withPadToMultipleOf(multiple)
                    .withTruncation(maxLength > 0 ? Truncation.LONGEST_FIRST : Truncation.NONE)
                    .withMaxLength(maxLength);
            Mismatches m = new Mismatches("padding " + padding + " max " + maxLength + " multiple " + multiple);
            try (HfOracle oracle = HfOracle.padding(json, padding, maxLength, multiple)) {
                for (int i = 0; i + 6 <= texts.size(); i += 6) {
                    List<String> batch = texts.subList(i, i + 1 + i % 6);
                    List<Encoding> expected = oracle.encodeBatch(batch);
                    List<Encoding> actual = ours.encodeBatch(batch, options);
                    // The oracle did pad: every encoding of the batch has the same length.
                    assertEquals(1, expected.stream().mapToInt(Encoding::length).distinct().count());
                    for (int k = 0; k < batch.size(); k++) {
                        int at = k;
                        m.check(batch.get(k), null, expected.get(k), () -> actual.get(at));
                    }
                }
            }
            m.assertNone();
        }
    }

    @Test
    void decodeMatches() {
        BertTokenizer ours = TestTokenizers.minilm();
        try (HfOracle oracle = HfOracle.open(TestTokenizers.file(TestTokenizers.MINILM))) {
            int checked = 0;
            for (String text : sample(3000, 12)) {
                int[] ids = ours.encode(text).ids();
                for (boolean skip : new boolean[] {true, false}) {
                    String expected = oracle.decode(ids, skip);
                    String actual = ours.decode(ids, skip);
                    if (!expected.equals(actual)) {
                        fail("decode(skip=" + skip + ") of \"" + EncodingDiff.escape(text) + "\"\n  expected: \""
                                + EncodingDiff.escape(expected) + "\"\n  actual:   \"" + EncodingDiff.escape(actual) + "\"");
                    }
                    checked++;
                }
            }
            assertTrue(checked > 0);
        }
    }

    private static final class Mismatches {
        private final String label;
        private final List<String> reports = new ArrayList<>();
        private int count;

        Mismatches(String label) {
            this.label = label;
        }

        void check(String first, String second, Encoding expected, java.util.function.Supplier<Encoding> actual) {
            String diff;
            try {
                diff = EncodingDiff.firstDifference(expected, actual.get());
            } catch (RuntimeException e) {
                diff = "bert4j threw " + e;
            }
            if (diff != null) {
                count++;
                if (reports.size() < 15) {
                    reports.add("text: \"" + EncodingDiff.escape(first) + "\""
                            + (second == null ? "" : "\npair: \"" + EncodingDiff.escape(second) + "\"") + "\n" + diff);
                }
            }
        }

        /** Like {@link #check}, where Hugging Face may refuse (truncation impossible): bert4j must refuse too. */
        void checkOrError(String first, String second, java.util.function.Supplier<Encoding> expected,
                          java.util.function.Supplier<Encoding> actual) {
            Encoding e;
            try {
                e = expected.get();
            } catch (RuntimeException hfError) {
                try {
                    Encoding unexpected = actual.get();
                    count++;
                    if (reports.size() < 15) {
                        reports.add("text: \"" + EncodingDiff.escape(first) + "\"" + (second == null ? ""
                                : "\npair: \"" + EncodingDiff.escape(second) + "\"") + "\nHugging Face refused ("
                                + hfError.getMessage() + ") but bert4j gave " + unexpected);
                    }
                } catch (IllegalArgumentException expectedToo) {
                    // both refuse
                }
                return;
            }
            check(first, second, e, actual);
        }

        void assertNone() {
            if (count > 0) {
                fail(label + ": " + count + " encodings differ from Hugging Face's; the first ones:\n\n"
                        + String.join("\n\n", reports));
            }
        }
    }
}
