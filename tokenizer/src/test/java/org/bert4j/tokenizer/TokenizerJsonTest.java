package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
