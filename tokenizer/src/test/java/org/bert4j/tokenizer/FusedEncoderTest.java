package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single-pass fast path against the step-by-step pipeline it must reproduce exactly. */
class FusedEncoderTest {

    @Test
    void perCharacterNormalizationAgreesWithTheWholeTextNormalizer() {
        for (BertNormalizer n : new BertNormalizer[] {BertNormalizer.uncased(), BertNormalizer.cased(),
            new BertNormalizer(true, true, false, true), new BertNormalizer(false, false, true, false)}) {
            for (int c = 0; c <= Character.MAX_CODE_POINT; c += c < 0x20000 ? 1 : 7) {
                if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                    continue;
                }
                String s = Character.toString(c);
                NormalizedText whole = n.normalize(s, 0, s.length());
                int[] expected = new int[whole.length()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = whole.codePointAt(i);
                }
                int[] actual = n.normalizeOne(c);
                if (!java.util.Arrays.equals(expected, actual)) {
                    fail(n + String.format(" U+%04X: ", c) + java.util.Arrays.toString(expected) + " vs "
                            + java.util.Arrays.toString(actual));
                }
            }
        }
    }

    @Test
    void fastPathEqualsTheStepByStepPipelineOnTheOracleCorpus() {
        BertTokenizer fast = TestTokenizers.minilm();
        BertTokenizer slow = fast.stepByStep();
        List<String> real = OracleCorpus.realText();
        // The oracle test compares the fast path with Hugging Face on the whole corpus; this keeps the
        // step-by-step pipeline (the fast path's fallback) honest on a part of it.
        List<String> texts = new ArrayList<>(real.subList(0, 4000));
        texts.addAll(OracleCorpus.adversarial(real, 8000, 22));
        texts.addAll(OracleCorpus.longTexts(real, 5, 23));
        texts.add("X\u0355\uD834\uDD65 a\u0301\u302E b"); // kept combining marks: the pipeline's job
        EncodeOptions[] options = {EncodeOptions.defaults().withTruncation(Truncation.NONE),
            EncodeOptions.defaults().withMaxLength(37)};
        for (EncodeOptions o : options) {
            for (String text : texts) {
                String diff = EncodingDiff.firstDifference(slow.encode(text, o), fast.encode(text, o));
                if (diff != null) {
                    fail("text \"" + EncodingDiff.escape(text) + "\"\n" + diff);
                }
                if (text.length() % 4 == 0) {
                    String diffPair = EncodingDiff.firstDifference(slow.encodePair(text, "b", o),
                            fast.encodePair(text, "b", o));
                    if (diffPair != null) {
                        fail("pair \"" + EncodingDiff.escape(text) + "\"\n" + diffPair);
                    }
                }
            }
        }
    }

    @Test
    void aCjkIdeographIsAWordOfItsOwnEvenBeyondTheTable() {
        BertTokenizer t = TestTokenizers.minilm();
        String text = "a中b\uD840\uDC00c"; // U+20000 is CJK Extension B
        assertArrayEquals(t.stepByStep().encode(text).ids(), t.encode(text).ids());
        assertArrayEquals(new int[] {-1, 0, 1, 2, 3, 4, -1}, t.encode(text).wordIds());
    }
}
