package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static Vocabulary of(Object... tokenIdPairs) {
        Vocabulary.Builder b = new Vocabulary.Builder(1);
        for (int i = 0; i < tokenIdPairs.length; i += 2) {
            b.add((String) tokenIdPairs[i], (Integer) tokenIdPairs[i + 1]);
        }
        return b.build();
    }

    @Test
    void mapsTokensToIdsAndBackWithGaps() {
        Vocabulary v = of("[UNK]", 0, "hello", 5, "##😀", 2, "", 3);
        assertEquals(4, v.size());
        assertEquals(6, v.idBound());
        assertEquals(5, v.id("hello"));
        assertEquals(2, v.id("##😀"));
        assertEquals(3, v.id(""));
        assertEquals(-1, v.id("hell"));
        assertEquals(-1, v.id("hello!"));
        assertEquals("hello", v.token(5));
        assertNull(v.token(1));
        assertNull(v.token(6));
        assertNull(v.token(-1));
        assertSame(v.token(5), v.token(5)); // made once, then shared
    }

    @Test
    void aRepeatedTokenTakesItsLastIdAndItsEarlierIdHasNoToken() {
        // As a map's put would have it (a vocab.txt with a line twice).
        Vocabulary v = of("a", 0, "b", 1, "a", 2);
        assertEquals(2, v.size());
        assertEquals(2, v.id("a"));
        assertNull(v.token(0));
        assertEquals("a", v.token(2));
        assertEquals(-1, v.entryId(0));
        assertEquals(2, v.entryId(2));
    }

    @Test
    void addingTokensCopiesOnlyWhenSomethingChanges() {
        Vocabulary v = of("[UNK]", 0, "[CLS]", 1, "a", 2);
        assertSame(v, v.with(Map.of("[CLS]", 1)));
        Map<String, Integer> extra = new LinkedHashMap<>();
        extra.put("<new>", 3);
        extra.put("a", 7);
        Vocabulary w = v.with(extra);
        assertEquals(3, w.id("<new>"));
        assertEquals(7, w.id("a"));
        assertNull(w.token(2));
        assertEquals(4, w.size());
        assertEquals(2, v.id("a")); // the original is unchanged
    }

    @Test
    void hashCollisionsAndManyTokensAllFindTheirIds() {
        Vocabulary.Builder b = new Vocabulary.Builder(1);
        b.add("Aa", 0);
        b.add("BB", 1); // the same String.hashCode as "Aa"
        byte[] ascii = "AaBB".getBytes(StandardCharsets.US_ASCII);
        b.addAscii(ascii, 2, 4, 2); // "BB" again, from bytes: replaces id 1
        for (int i = 3; i < 50_000; i++) {
            b.add("t" + i, i);
        }
        Vocabulary v = b.build();
        assertEquals(0, v.id("Aa"));
        assertEquals(2, v.id("BB"));
        for (int i = 3; i < 50_000; i++) {
            assertEquals(i, v.id("t" + i));
        }
    }

    @Test
    void corruptIdsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("a", 2_000_000_000));
        assertTrue(e.getMessage().contains("too sparse"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("a", -1));
    }

    @Test
    void vocabTxtLinesEndInAnyWayAndLoseTrailingWhitespace() throws CharacterCodingException {
        byte[] txt = "[UNK]\r\nab \t\rcafé\u00A0\n\n##x\u3000\nlast".getBytes(StandardCharsets.UTF_8);
        Vocabulary v = VocabFiles.vocabulary(txt);
        assertEquals(0, v.id("[UNK]"));
        assertEquals(1, v.id("ab"));
        assertEquals(2, v.id("café"));
        assertEquals(3, v.id(""));
        assertEquals(4, v.id("##x"));
        assertEquals(5, v.id("last"));
        assertEquals(6, v.idBound());
    }

    @Test
    void aVocabTxtThatIsNotUtf8IsAClearError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.write(file, new byte[] {'[', 'U', 'N', 'K', ']', '\n', 'a', (byte) 0xC3, '\n'});
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> BertTokenizer.fromVocab(file));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }
}
