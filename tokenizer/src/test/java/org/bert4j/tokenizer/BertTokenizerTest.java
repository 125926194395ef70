package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertTokenizerTest {
    private final BertTokenizer tokenizer = TestTokenizers.minilm();

    @Test
    void encodesASentenceLikeBertBaseUncased() {
        Encoding e = tokenizer.encode("Hello, world! Tokenizers are fun.");
        assertArrayEquals(new String[] {"[CLS]", "hello", ",", "world", "!", "token", "##izer", "##s", "are",
            "fun", ".", "[SEP]"}, e.tokens());
        assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 19204, 17629, 2015, 2024, 4569, 1012, 102}, e.ids());
        assertArrayEquals(new int[] {-1, 0, 1, 2, 3, 4, 4, 4, 5, 6, 7, -1}, e.wordIds());
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, e.specialTokensMask());
        assertEquals(101, tokenizer.clsId());
        assertEquals(102, tokenizer.sepId());
        assertEquals(0, tokenizer.padId());
        assertEquals(100, tokenizer.unkId());
        assertEquals(30522, tokenizer.vocabSize());
    }

    @Test
    void offsetsAreUtf16IndicesThatSubstringTheOriginalText() {
        String text = "Café 😀 naïve 𝐀𝐁 ok";
        Encoding e = tokenizer.encode(text);
        List<String> pieces = new ArrayList<>();
        for (int i = 1; i < e.length() - 1; i++) {
            pieces.add(text.substring(e.offsetStarts()[i], e.offsetEnds()[i]));
        }
        assertEquals(List.of("Café", "😀", "naïve", "𝐀𝐁", "ok"), pieces);
    }

    @Test
    void pairsGetTypeIdsAndSequenceIdsAndWordIdsPerText() {
        Encoding e = tokenizer.encodePair("Who?", "Me.", EncodeOptions.defaults());
        assertArrayEquals(new String[] {"[CLS]", "who", "?", "[SEP]", "me", ".", "[SEP]"}, e.tokens());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, e.typeIds());
        assertArrayEquals(new int[] {-1, 0, 0, -1, 1, 1, -1}, e.sequenceIds());
        assertArrayEquals(new int[] {-1, 0, 1, -1, 0, 1, -1}, e.wordIds());
        assertArrayEquals(new int[] {0, 0, 3, 0, 0, 2, 0}, e.offsetStarts());
    }

    @Test
    void specialTokensWrittenInTheTextStayWhole() {
        Encoding e = tokenizer.encode("fill the [MASK] in, [mask] is not one");
        assertEquals("[MASK]", e.tokens()[3]);
        assertEquals(103, e.ids()[3]);
        assertEquals(0, e.specialTokensMask()[3]); // only the template's tokens count as special
    }

    @Test
    void emptyAndBlankTextsGiveJustTheSpecialTokens() {
        for (String text : new String[] {"", " ", "\t\n\r ", "\u0000\u200B", "\u00A0\u3000"}) {
            assertArrayEquals(new int[] {101, 102}, tokenizer.encode(text).ids(), "'" + text + "'");
        }
    }

    @Test
    void truncationKeepsTheSpecialTokensWithinMaxLength() {
        String text = "one two three four five six seven eight nine ten";
        Encoding e = tokenizer.encode(text, EncodeOptions.defaults().withMaxLength(6));
        assertArrayEquals(new String[] {"[CLS]", "one", "two", "three", "four", "[SEP]"}, e.tokens());
        Encoding none = tokenizer.encode(text, EncodeOptions.defaults().withTruncation(Truncation.NONE).withMaxLength(6));
        assertEquals(12, none.length());
        Encoding pair = tokenizer.encodePair(text, "a b", EncodeOptions.defaults().withMaxLength(8));
        assertArrayEquals(new String[] {"[CLS]", "one", "two", "three", "[SEP]", "a", "b", "[SEP]"}, pair.tokens());
    }

    @Test
    void theDefaultMaximumIsTheModelsAndAMegabyteStringIsFine() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1_000_000) {
            sb.append("The quick brown fox jumps over the lazy dog. ");
        }
        Encoding e = tokenizer.encode(sb.toString());
        assertEquals(512, e.length());
        assertEquals(tokenizer.modelMaxLength(), e.length());
        Encoding all = tokenizer.encode(sb.toString(), EncodeOptions.defaults().withTruncation(Truncation.NONE));
        assertEquals(2 + 10 * (1_000_000 / 45 + 1), all.length());
    }

    @Test
    // Not a speed test (JMH measures speed): a guard against the quadratic blow-up these inputs once caused
    // (267 s for the mark run), with a bound far above any linear-time run on a busy machine.
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void pathologicalMegabyteInputsFinish() {
        String[] inputs = {
            "a".repeat(1_000_000),                                  // one endless word: [UNK]
            "中".repeat(300_000),                                   // a word per ideograph
            "!?".repeat(300_000),                                   // a word per punctuation mark
            "a" + "\u0301\u0316".repeat(200_000) + "\u302E b",      // a huge run of marks, reordered
            "\uD83D\uDE00".repeat(300_000),                         // emoji: one unknown word
        };
        EncodeOptions all = EncodeOptions.defaults().withTruncation(Truncation.NONE);
        for (String text : inputs) {
            Encoding e = tokenizer.encode(text, all);
            assertTrue(e.length() >= 3);
        }
    }

    @Test
    void paddingMakesABatchRectangular() {
        EncodeOptions longest = EncodeOptions.defaults().withPadding(Padding.LONGEST);
        List<Encoding> batch = tokenizer.encodeBatch(List.of("a", "a b c d"), longest);
        assertEquals(6, batch.get(0).length());
        assertEquals(6, batch.get(1).length());
        Encoding padded = batch.get(0);
        assertArrayEquals(new int[] {101, 1037, 102, 0, 0, 0}, padded.ids());
        assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0}, padded.attentionMask());
        assertArrayEquals(new int[] {1, 0, 1, 1, 1, 1}, padded.specialTokensMask());
        assertArrayEquals(new int[] {-1, 0, -1, -1, -1, -1}, padded.wordIds());
        assertEquals("[PAD]", padded.tokens()[5]);
        assertEquals(3, padded.unpaddedLength());

        List<Encoding> multiple = tokenizer.encodeBatch(List.of("a", "a b c d"), longest.withPadToMultipleOf(4));
        assertEquals(8, multiple.get(1).length());
        Encoding fixed = tokenizer.encode("a", EncodeOptions.defaults().withPadding(Padding.MAX_LENGTH).withMaxLength(10));
        assertEquals(10, fixed.length());
        assertEquals(3, tokenizer.encode("a", longest).length());
    }

    @Test
    void decodeGluesContinuationPiecesAndCanSkipSpecialTokens() {
        int[] ids = tokenizer.encode("Tokenizers split emojis, do they?").ids();
        assertEquals("tokenizers split emojis, do they?", tokenizer.decode(ids, true));
        assertEquals("[CLS] tokenizers split emojis, do they? [SEP]", tokenizer.decode(ids, false));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {5, 99999}, true));
    }

    @Test
    void badOptionsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> EncodeOptions.defaults().withMaxLength(-1));
        assertThrows(IllegalArgumentException.class, () -> EncodeOptions.defaults().withPadToMultipleOf(-8));
        assertThrows(NullPointerException.class, () -> EncodeOptions.defaults().withPadding(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode("hello", EncodeOptions.defaults().withMaxLength(1)));
        assertTrue(e.getMessage().contains("maxLength 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("a b c d e f",
                EncodeOptions.defaults().withMaxLength(4).withTruncation(Truncation.ONLY_SECOND)));
    }

    @Test
    void loneSurrogatesAndInvalidCharactersGiveAValidEncoding() {
        // A lone surrogate reads as U+FFFD, which text cleaning deletes; the noncharacters U+FFFF and U+FFFE
        // are kept, as Hugging Face keeps them, and make an unknown word.
        Encoding e = tokenizer.encode("a\uD800b \uDFFF c\uFFFF\uFFFE");
        assertArrayEquals(new String[] {"[CLS]", "ab", "[UNK]", "[SEP]"}, e.tokens());
        assertArrayEquals(new int[] {0, 0, 6, 0}, e.offsetStarts());
        assertArrayEquals(new int[] {0, 3, 9, 0}, e.offsetEnds());
    }

    @Test
    void vocabTxtGivesTheSameEncodingsAsTokenizerJson(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            lines.add(tokenizer.idToToken(id));
        }
        Files.write(dir.resolve("vocab.txt"), lines, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"model_max_length\": 256}");
        BertTokenizer fromVocab = BertTokenizer.load(dir);
        assertEquals(256, fromVocab.modelMaxLength());
        for (String text : List.of("Hello [MASK] world!", "Ça va? 中文 😀", "don't stop", "")) {
            assertEquals(tokenizer.encode(text), fromVocab.encode(text), text);
            assertEquals(tokenizer.encodePair(text, "x"), fromVocab.encodePair(text, "x"), text);
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        assertEquals(BertNormalizer.cased(), BertTokenizer.fromVocab(dir.resolve("vocab.txt")).normalizer());
    }

    @Test
    void transformersVeryLargeModelMaxLengthMeansUnset(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            lines.add(tokenizer.idToToken(id));
        }
        Files.write(dir.resolve("vocab.txt"), lines, StandardCharsets.UTF_8);
        // int(1e30) as json.dumps writes it (transformers' VERY_LARGE_INTEGER, its "no maximum"), and as a float.
        for (String sentinel : List.of("1000000000000000019884624838656", "1e+30")) {
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": " + sentinel + "}");
            BertTokenizer loaded = BertTokenizer.load(dir);
            assertEquals(512, loaded.modelMaxLength(), sentinel + " is unset: the default 512, not a cast to int");
            assertEquals(512, loaded.encode("word ".repeat(1000)).length(), sentinel);
        }
    }

    @Test
    void aTokenizerIsSafeToShareBetweenThreads() throws Exception {
        List<String> texts = OracleCorpus.adversarial(List.of("plain words here"), 400, 42);
        List<Encoding> expected = new ArrayList<>();
        for (String t : texts) {
            expected.add(tokenizer.encode(t));
        }
        // A fresh tokenizer too, whose threads race to build its fast path on their first texts.
        BertTokenizer fresh = tokenizer.fastPathFromTheStart();
        for (BertTokenizer shared : List.of(tokenizer, fresh)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int k = 0; k < 4; k++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < texts.size(); i++) {
                        if (!expected.get(i).equals(shared.encode(texts.get(i)))) {
                            failures.add(new AssertionError("differs on text " + i));
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
        }
        assertTrue(fresh.hasFastPath());
    }

    @Test
    void aFreshTokenizerGoesStepByStepUntilItHasHadSomeWorkWithTheSameEncodingsThroughout() throws IOException {
        BertTokenizer fresh = BertTokenizer.fromTokenizerJson(TestTokenizers.file(TestTokenizers.MINILM));
        long chars = 0;
        for (String text : OracleCorpus.realText()) {
            assertEquals(tokenizer.encode(text), fresh.encode(text), text);
            chars += text.length();
            assertEquals(chars > BertTokenizer.STEP_BY_STEP_CHARS, fresh.hasFastPath(), "after " + chars + " chars");
            if (chars > BertTokenizer.STEP_BY_STEP_CHARS + 10_000) {
                break;
            }
        }
        assertTrue(fresh.hasFastPath());
        BertTokenizer another = BertTokenizer.fromTokenizerJson(TestTokenizers.file(TestTokenizers.MINILM));
        String longText = "word ".repeat((int) BertTokenizer.STEP_BY_STEP_CHARS / 4);
        assertEquals(tokenizer.encode(longText), another.encode(longText));
        assertTrue(another.hasFastPath(), "a long first text takes the fast path at once");
    }
}
