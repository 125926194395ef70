package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the tokenizer: loading any bytes as a tokenizer.json, and encoding any text with
 * any options. The contract: a file loads or is refused with a {@link TokenizerFormatException} naming it; an
 * encoding keeps its own promises (one entry per token in every array, ids in the vocabulary and spelled as
 * the token, offsets inside the text they point into, padding only at the end, no longer than asked), or the
 * options are refused with the documented IllegalArgumentException / IllegalStateException. The fused fast
 * path must give exactly what the step-by-step pipeline gives, on whatever vocabulary the file has.
 *
 * <p>{@code ./run-tests} replays the committed inputs under {@code TokenizerFuzzTestInputs/}; {@code scripts/fuzz
 * tokenizer-json MINUTES} and {@code scripts/fuzz tokenizer-encode MINUTES} fuzz for real (docs/fuzzing.md).
 */
class TokenizerFuzzTest {

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("bert4j-fuzz", "-tokenizer.json");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Texts every tokenizer that loads must encode: words, pieces, punctuation, accents, CJK, specials. */
    private static final String[] TEXTS = {"", "hello world", "Un-believable, isn't it? ##s [CLS] [MASK]",
        "Ça coûte 10€ à Zürich", "東京タワー と ☃ \uD83D\uDE00", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b"};

    /** Input: the bytes of a tokenizer.json. */
    @FuzzTest
    void loadAnyTokenizerJson(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        BertTokenizer tokenizer;
        try {
            tokenizer = BertTokenizer.fromTokenizerJson(file, 32);
        } catch (TokenizerFormatException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
            return;
        }
        BertTokenizer fast = tokenizer.fastPathFromTheStart();
        BertTokenizer slow = tokenizer.stepByStep();
        for (String text : TEXTS) {
            checkBothPaths(fast, slow, text, null, EncodeOptions.defaults());
            checkBothPaths(fast, slow, text, "b " + text, EncodeOptions.defaults().withTruncation(Truncation.NONE));
            tokenizer.decode(tokenizer.stepByStep().encode(text).ids(), true);
        }
    }

    /** Input: options, then one or two texts, encoded with all-MiniLM-L6-v2's real tokenizer. */
    @FuzzTest
    void encodeAnyText(FuzzedDataProvider data) {
        EncodeOptions options = new EncodeOptions(data.consumeBoolean(), data.consumeInt(0, 600),
                data.pickValue(Truncation.values()), data.pickValue(Padding.values()), data.consumeInt(0, 16));
        boolean pair = data.consumeBoolean();
        String second = pair ? data.consumeString(200) : null;
        String first = data.consumeRemainingAsString();
        checkBothPaths(MiniLm.FAST, MiniLm.SLOW, first, second, options);
    }

    /** MiniLM's tokenizer on both paths, made once: building the fast path's trie over 30,522 tokens takes ~0.1 s. */
    private static final class MiniLm {
        static final BertTokenizer FAST = TestTokenizers.minilm();
        static final BertTokenizer SLOW = FAST.stepByStep();
    }

    /** Encodes on the fused fast path and step by step: the same result (or the same refusal), both valid. */
    private static void checkBothPaths(BertTokenizer fastPath, BertTokenizer pipeline, String first, String second,
                                       EncodeOptions options) {
        Encoding fast = encodeOrRefuse(fastPath, first, second, options);
        Encoding slow = encodeOrRefuse(pipeline, first, second, options);
        if (fast == null || slow == null) {
            assertEquals(fast == null, slow == null, "one path refused, the other encoded");
            return;
        }
        String diff = EncodingDiff.firstDifference(slow, fast);
        if (diff != null) {
            fail("fast path differs from the pipeline on \"" + EncodingDiff.escape(first) + "\"\n" + diff);
        }
        checkInvariants(fastPath, fast, first, second, options);
    }

    private static Encoding encodeOrRefuse(BertTokenizer tokenizer, String first, String second, EncodeOptions options) {
        try {
            return second == null ? tokenizer.encode(first, options) : tokenizer.encodePair(first, second, options);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            assertTrue(m.startsWith("cannot truncate only the") || m.startsWith("Truncation.ONLY_SECOND needs a pair")
                    || m.startsWith("maxLength "), "an undocumented refusal: " + m);
            return null;
        } catch (IllegalStateException e) {
            assertEquals("padding requested, but this tokenizer has no padding token", e.getMessage());
            return null;
        }
    }

    private static void checkInvariants(BertTokenizer tokenizer, Encoding e, String first, String second,
                                        EncodeOptions options) {
        int maxLength = options.maxLength() == 0 ? tokenizer.modelMaxLength() : options.maxLength();
        int real = e.unpaddedLength();
        if (options.truncation() != Truncation.NONE) {
            assertTrue(real <= maxLength, real + " tokens, more than maxLength " + maxLength);
        }
        for (int i = 0; i < e.length(); i++) {
            String where = "token " + i + " of " + e;
            boolean padding = i >= real;
            assertEquals(padding ? 0 : 1, e.attentionMask()[i], "padding only at the end: " + where);
            int id = e.ids()[i];
            assertNotNull(e.tokens()[i], where);
            assertEquals(e.tokens()[i], tokenizer.idToToken(id), "id " + id + " spells its token: " + where);
            int sequence = e.sequenceIds()[i];
            assertTrue(sequence >= -1 && sequence <= (second == null ? 0 : 1), where);
            assertTrue(e.typeIds()[i] >= 0, where);
            if (sequence < 0) {
                assertEquals(1, e.specialTokensMask()[i], "no sequence means special: " + where);
                assertEquals(-1, e.wordIds()[i], where);
                assertEquals(0, e.offsetStarts()[i], where);
                assertEquals(0, e.offsetEnds()[i], where);
            } else {
                String text = sequence == 0 ? first : second;
                assertEquals(0, e.specialTokensMask()[i], where);
                assertTrue(e.wordIds()[i] >= 0, where);
                assertTrue(0 <= e.offsetStarts()[i] && e.offsetStarts()[i] <= e.offsetEnds()[i]
                        && e.offsetEnds()[i] <= text.length(), "offsets inside a text of " + text.length() + ": " + where);
            }
        }
        if (options.padding() == Padding.MAX_LENGTH && options.truncation() != Truncation.NONE) {
            assertTrue(e.length() >= maxLength, "padded to " + maxLength + ": " + e.length());
        }
        if (options.padToMultipleOf() > 0 && (options.padding() == Padding.LONGEST
                || options.padding() == Padding.MAX_LENGTH && options.truncation() != Truncation.NONE)) {
            assertEquals(0, e.length() % options.padToMultipleOf(), "a multiple of " + options.padToMultipleOf());
        }
    }
}
