package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerJsonTest {
    @TempDir
    Path dir;

    /** The MiniLM tokenizer.json with {@code edit} applied, written to a temporary file. */
    private Path edited(Consumer<JsonObject> edit) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(TestTokenizers.file(TestTokenizers.MINILM),
                StandardCharsets.UTF_8)).getAsJsonObject();
        edit.accept(root);
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, root.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private String loadError(Consumer<JsonObject> edit) throws IOException {
        Path file = edited(edit);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> BertTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsEveryComponentOfARealTokenizerJson() {
        BertTokenizer t = TestTokenizers.minilm();
        assertEquals(BertNormalizer.uncased(), t.normalizer());
        assertEquals(512, t.modelMaxLength()); // the file's truncation section (128) is not a model limit
        assertEquals(103, t.maskId());
    }

    @Test
    void aPaddingIdOutsideTheVocabularyOrANegativeTypeIdIsRefused() throws IOException {
        // Padding filled such encodings with id 40000 and a null token; type id -1 indexes no embedding row.
        assertTrue(loadError(r -> r.getAsJsonObject("padding").addProperty("pad_id", 40000))
                .contains("padding.pad_id: id 40000 is not in the vocabulary"));
        assertTrue(loadError(r -> r.getAsJsonObject("padding").addProperty("pad_type_id", -1))
                .contains("padding.pad_type_id: negative type id -1"));
        assertTrue(loadError(r -> r.getAsJsonObject("post_processor").getAsJsonArray("pair").get(3).getAsJsonObject()
                .getAsJsonObject("Sequence").addProperty("type_id", -2)).contains("post_processor.pair[3].type_id: negative"));
    }

    @Test
    void aSyntaxErrorInsideTheVocabularyIsAFormatError() throws IOException {
        // A '$' between two vocabulary entries: the streaming reader's MalformedJsonException escaped as it was
        // (found by TokenizerFuzzTest, crash-184fea39...).
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\":{\"vocab\":{\"a\": 0,$\"b\": 1}}}");
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> BertTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().startsWith(file + ": (root): not valid JSON"), e.getMessage());
    }

    @Test
    void anAddedTokenThatContradictsTheVocabularyIsRefused() throws IOException {
        // [UNK] re-pointed to id 0 left id 100 (the model's unknown token) spelled by nothing: encodings carried a null
        // token (found by TokenizerFuzzTest, crash-b27e0716...).
        assertTrue(loadError(r -> r.getAsJsonArray("added_tokens").get(1).getAsJsonObject().addProperty("id", 0))
                .contains("added_tokens[1].id: '[UNK]' has id 0 but model.vocab gives it id 100"));
        assertTrue(loadError(r -> r.getAsJsonArray("added_tokens").get(1).getAsJsonObject().addProperty("content", "hello"))
                .contains("added_tokens[1].id: 'hello' has id 100 but model.vocab gives it id 7592"));
        assertTrue(loadError(r -> r.getAsJsonArray("added_tokens").get(1).getAsJsonObject().addProperty("content", "<new>"))
                .contains("added_tokens[1].id: id 100 is '[UNK]' in model.vocab, not '<new>'"));
    }

    @Test
    void aBertProcessingIdOutsideTheVocabularyIsRefused() throws IOException {
        JsonObject bert = JsonParser.parseString("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",102],\"cls\":[\"[CLS]\",40000]}")
                .getAsJsonObject();
        assertTrue(loadError(r -> r.add("post_processor", bert)).contains("post_processor.cls[1]: id 40000 is not in the vocabulary"));
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        // A Latin-1 é in a token: Java's reader said only "Input length = 1" (found by TokenizerFuzzTest).
        Files.write(file, "{\"model\":{\"vocab\":{\"caf\u00e9\":0}}}".getBytes(StandardCharsets.ISO_8859_1));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> BertTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().startsWith(file + ": (content): not valid UTF-8"), e.getMessage());
    }

    @Test
    void anUnsupportedComponentTypeIsAnErrorNamingIt() throws IOException {
        String m = loadError(r -> r.getAsJsonObject("normalizer").addProperty("type", "NFKC"));
        assertTrue(m.contains("normalizer.type") && m.contains("'NFKC'"), m);
        m = loadError(r -> r.getAsJsonObject("pre_tokenizer").addProperty("type", "ByteLevel"));
        assertTrue(m.contains("pre_tokenizer.type") && m.contains("'ByteLevel'"), m);
        m = loadError(r -> r.getAsJsonObject("model").addProperty("type", "BPE"));
        assertTrue(m.contains("model.type") && m.contains("'BPE'"), m);
        m = loadError(r -> r.getAsJsonObject("post_processor").addProperty("type", "RobertaProcessing"));
        assertTrue(m.contains("post_processor.type") && m.contains("'RobertaProcessing'"), m);
        m = loadError(r -> r.getAsJsonObject("decoder").addProperty("type", "Metaspace"));
        assertTrue(m.contains("decoder.type") && m.contains("'Metaspace'"), m);
    }

    @Test
    void brokenFieldsAreErrorsNamingTheField() throws IOException {
        String m = loadError(r -> r.getAsJsonObject("model").getAsJsonObject("vocab").remove("[UNK]"));
        assertTrue(m.contains("[UNK]"), m);
        m = loadError(r -> r.getAsJsonObject("model").getAsJsonObject("vocab").addProperty("hello", "x"));
        assertTrue(m.contains("model.vocab[\"hello\"]"), m);
        m = loadError(r -> r.getAsJsonObject("model").getAsJsonObject("vocab").addProperty("far", 2_000_000_000));
        assertTrue(m.contains("too sparse"), m);
        m = loadError(r -> r.getAsJsonArray("added_tokens").get(0).getAsJsonObject().addProperty("lstrip", true));
        assertTrue(m.contains("added_tokens[0].lstrip"), m);
        m = loadError(r -> r.remove("model"));
        assertTrue(m.contains("model"), m);
        m = loadError(r -> r.getAsJsonObject("normalizer").addProperty("lowercase", "yes"));
        assertTrue(m.contains("normalizer.lowercase"), m);
    }

    @Test
    void invalidJsonIsAClearError() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {", StandardCharsets.UTF_8);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> BertTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void aFolderWithoutTokenizerFilesIsAClearError() {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> BertTokenizer.load(dir));
        assertTrue(e.getMessage().contains("neither tokenizer.json nor vocab.txt"), e.getMessage());
    }

    @Test
    void bertProcessingIsReadAsTheBertTemplate() throws IOException {
        Path file = edited(r -> r.add("post_processor", JsonParser.parseString(
                "{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",102],\"cls\":[\"[CLS]\",101]}")));
        BertTokenizer t = BertTokenizer.fromTokenizerJson(file);
        assertEquals(TestTokenizers.minilm().encodePair("a b", "c"), t.encodePair("a b", "c"));
    }

    /** Every token and id of {@code a} and {@code b}, and their sizes, are the same. */
    private static void assertSameVocabulary(Vocabulary a, Vocabulary b) {
        assertEquals(a.size(), b.size());
        assertEquals(a.idBound(), b.idBound());
        for (int id = 0; id < a.idBound(); id++) {
            assertEquals(a.token(id), b.token(id), "id " + id);
            if (a.token(id) != null) {
                assertEquals(a.id(a.token(id)), b.id(a.token(id)), a.token(id));
            }
        }
    }

    @Test
    void theRealFilesTakeTheFastVocabularyScanAndItAgreesWithGson() throws IOException {
        for (String name : new String[] {TestTokenizers.MINILM, TestTokenizers.BGE}) {
            Path file = TestTokenizers.file(name);
            assertNotNull(JsonVocabScanner.scan(Files.readAllBytes(file)), name + " fell back to gson");
            TokenizerParts fast = TokenizerJson.read(file);
            TokenizerParts gson = TokenizerJson.readWithGson(file);
            assertSameVocabulary(gson.vocabulary(), fast.vocabulary());
            assertSameVocabulary(gson.model().vocabulary(), fast.model().vocabulary());
            assertEquals(gson.normalizer(), fast.normalizer());
            assertEquals(gson.addedTokens().tokens(), fast.addedTokens().tokens());
            assertEquals("\"", fast.vocabulary().token(1000)); // written "\"" in the file
            assertEquals("\\", fast.vocabulary().token(1032));
        }
    }

    @Test
    void escapesAndCompactJsonAreReadByTheFastScan() throws IOException {
        Path file = edited(r -> {}); // gson writes it compact: no whitespace at all
        String json = Files.readString(file);
        assertTrue(json.contains("\"[UNK]\":100,") && !json.contains("\n"), "compact");
        // Every kind of escape, and a surrogate pair written as two escapes.
        json = json.replace("\"[UNK]\":100,", "\"[UNK]\":100,\"caf\\u00E9\\t\\u4e2d\\ud83d\\ude00\\/\\\\\\\"\":30522,");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        assertNotNull(JsonVocabScanner.scan(Files.readAllBytes(file)));
        assertEquals(30522, BertTokenizer.fromTokenizerJson(file).tokenToId("caf\u00e9\t\u4e2d\ud83d\ude00/\\\""));
        assertSameVocabulary(TokenizerJson.readWithGson(file).vocabulary(), TokenizerJson.read(file).vocabulary());
    }

    @Test
    void whatTheFastScanDoesNotTakeGsonReadsTheSame() throws IOException {
        String original = Files.readString(TestTokenizers.file(TestTokenizers.MINILM));
        String[][] variants = {
            {"\"[UNK]\": 100,", "\"[UNK]\": 100.0,"},        // an integer written as a fraction
            {"\"##s\": 2015,", "\"##s\": 2015, \"\uFFFD\": 30522,"}, // a real U+FFFD
            {"\"clean_text\": true", "\"clean_text\": /* on */ true"}, // lenient JSON, inside a section
            {"\"type\": \"BertNormalizer\"", "\"type\": 'BertNormalizer'"}, // lenient, inside a section
        };
        for (String[] v : variants) {
            assertTrue(original.contains(v[0]), v[0]);
            Path file = dir.resolve("tokenizer.json");
            Files.writeString(file, original.replace(v[0], v[1]), StandardCharsets.UTF_8);
            assertNull(JsonVocabScanner.scan(Files.readAllBytes(file)), v[1]);
            BertTokenizer t = BertTokenizer.fromTokenizerJson(file);
            assertEquals(100, t.unkId(), v[1]);
            assertEquals(TestTokenizers.minilm().encode("Hello, world!"), t.encode("Hello, world!"), v[1]);
        }
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorOnEitherPath() throws IOException {
        byte[] json = Files.readAllBytes(TestTokenizers.file(TestTokenizers.MINILM));
        for (String where : new String[] {"\"##s\"", "\"BertNormalizer\""}) { // in the vocabulary; elsewhere
            byte[] broken = json.clone();
            int at = new String(json, StandardCharsets.ISO_8859_1).indexOf(where) + 2;
            broken[at] = (byte) 0xC3; // a lead byte without its continuation
            Path file = dir.resolve("tokenizer.json");
            Files.write(file, broken);
            assertThrows(IOException.class, () -> BertTokenizer.fromTokenizerJson(file), where);
        }
    }
}
