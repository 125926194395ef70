package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LinMaxMatch (FastWordPiece in FusedEncoder) against the plain greedy WordPiece, on random vocabularies. */
class FastWordPieceTest {
    private static final BertNormalizer NOTHING = new BertNormalizer(false, false, false, false);

    /** {ids, starts, ends, words} of {@code text} with the given encoder. */
    private static int[][] run(SequenceEncoder encoder, String text) {
        TokenBuffer out = new TokenBuffer(8);
        encoder.encode(text, out, Integer.MAX_VALUE);
        return new int[][] {Arrays.copyOf(out.ids, out.size()), Arrays.copyOf(out.starts, out.size()),
            Arrays.copyOf(out.ends, out.size()), Arrays.copyOf(out.words, out.size())};
    }

    private static SequenceEncoder[] encoders(Map<String, Integer> ids, int maxChars) {
        WordPiece model = WordPiece.of(Vocabulary.of(ids), "[UNK]", "##", maxChars);
        PipelineEncoder pipeline = new PipelineEncoder(AddedTokens.none(), NOTHING, model);
        FusedEncoder fused = new FusedEncoder(AddedTokens.none(), new CharTable(NOTHING),
                FastWordPiece.build(model.vocabulary(), "##"), model, pipeline);
        return new SequenceEncoder[] {pipeline, fused};
    }

    @Test
    void followsTheFailureLinksOfThePapersExample() {
        // Song et al. 2021, Figure 1: vocabulary {a, abcdx, ##b, ##c, ##cdy, ##dz}; "abcdz" → a ##b ##c ##dz.
        Map<String, Integer> ids = new HashMap<>();
        String[] vocab = {"[UNK]", "a", "abcdx", "##b", "##c", "##cdy", "##dz"};
        for (int i = 0; i < vocab.length; i++) {
            ids.put(vocab[i], i);
        }
        SequenceEncoder[] e = encoders(ids, 100);
        assertArrayEquals(new int[] {1, 3, 4, 6}, run(e[1], "abcdz")[0]);
        assertArrayEquals(new int[] {0, 1, 2, 3}, run(e[1], "abcdz")[1]);
        assertArrayEquals(new int[] {0}, run(e[1], "abcdq")[0]); // "##dq" nowhere: the word is unknown
        assertArrayEquals(new int[] {2, 1}, run(e[1], "abcdx a")[0]);
    }

    @Test
    void givesTheGreedyLongestMatchOnRandomVocabulariesAndWords() {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            Map<String, Integer> ids = new HashMap<>();
            ids.put("[UNK]", 0);
            int size = 1 + r.nextInt(40);
            while (ids.size() < size + 1) {
                String piece = randomWord(r, 1 + r.nextInt(5));
                ids.putIfAbsent(r.nextBoolean() ? "##" + piece : piece, ids.size());
            }
            int maxChars = 3 + r.nextInt(12);
            SequenceEncoder[] e = encoders(ids, maxChars);
            for (int k = 0; k < 40; k++) {
                StringBuilder text = new StringBuilder();
                int words = 1 + r.nextInt(4);
                for (int w = 0; w < words; w++) {
                    text.append(randomWord(r, 1 + r.nextInt(16))).append(r.nextInt(5) == 0 ? "," : " ");
                }
                int[][] expected = run(e[0], text.toString());
                int[][] actual = run(e[1], text.toString());
                for (int f = 0; f < 4; f++) {
                    assertArrayEquals(expected[f], actual[f], "vocabulary " + ids + ", text '" + text + "'");
                }
            }
        }
    }

    @Test
    void emojiAndOtherSupplementaryCharactersMatchAsWholeCodePoints() {
        Map<String, Integer> ids = new HashMap<>(Map.of("[UNK]", 0, "😀", 1, "##😀", 2, "a", 3, "##a", 4));
        SequenceEncoder[] e = encoders(ids, 3);
        assertArrayEquals(new int[] {1, 4, 2}, run(e[1], "😀a😀")[0]);
        assertArrayEquals(new int[] {0, 2, 3}, run(e[1], "😀a😀")[1]);
        assertArrayEquals(new int[] {0}, run(e[1], "😀a😀a")[0]); // 4 code points > 3
        assertEquals(run(e[0], "😀a😀a 😀")[1].length, run(e[1], "😀a😀a 😀")[1].length);
    }

    private static String randomWord(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + r.nextInt(3)));
        }
        return sb.toString();
    }
}
