package org.bert4j.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the original BERT files: vocab.txt (one token a line, the line number is the id) and
 * tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars, model_max_length), and sets
 * the tokenizer up as transformers' {@code BertTokenizerFast} would.
 */
final class VocabFiles {
    private VocabFiles() {}

    /** BERT's five special tokens, which transformers registers as added tokens. */
    private static final String[] SPECIALS = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

    /** transformers writes int(1e30) as model_max_length when the model sets none. */
    private static final double UNSET_MAX_LENGTH = 1e20;

    static TokenizerParts read(Path vocabTxt, BertNormalizer normalizer, int modelMaxLength) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new TokenizerFormatException(vocabTxt, "(content)", "not valid UTF-8", e);
        }
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.fromLines(lines);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(vocabTxt, "(content)", e.getMessage());
        }
        WordPiece model;
        try {
            model = WordPiece.of(vocabulary, "[UNK]", "##", 100);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(vocabTxt, "[UNK]", e.getMessage());
        }
        int cls = vocabulary.id("[CLS]");
        int sep = vocabulary.id("[SEP]");
        if (cls < 0 || sep < 0) {
            throw new TokenizerFormatException(vocabTxt, cls < 0 ? "[CLS]" : "[SEP]", "missing from the vocabulary");
        }
        List<AddedTokens.Token> added = new ArrayList<>();
        for (String s : SPECIALS) {
            if (vocabulary.id(s) >= 0) {
                added.add(new AddedTokens.Token(s, vocabulary.id(s), true));
            }
        }
        return new TokenizerParts(vocabulary, model, normalizer, new AddedTokens(added),
                TemplateProcessing.bert(cls, sep), new WordPieceDecoder("##", true), vocabulary.id("[PAD]"), 0,
                modelMaxLength);
    }

    /** What tokenizer_config.json says; fields it lacks take transformers' defaults. */
    record Config(BertNormalizer normalizer, int modelMaxLength) {}

    /** Reads tokenizer_config.json, or returns BertTokenizerFast's defaults if {@code file} does not exist. */
    static Config readConfig(Path file, int defaultMaxLength) throws IOException {
        if (!Files.exists(file)) {
            return new Config(BertNormalizer.uncased(), defaultMaxLength);
        }
        JsonObject o;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new TokenizerFormatException(file, "(root)", "expected a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TokenizerFormatException(file, "(root)", "not valid JSON: " + e.getMessage(), e);
        }
        boolean lowercase = bool(file, o, "do_lower_case", true);
        boolean chinese = bool(file, o, "tokenize_chinese_chars", true);
        JsonElement strip = o.get("strip_accents");
        boolean stripAccents = strip == null || strip.isJsonNull() ? lowercase : bool(file, o, "strip_accents", lowercase);
        int maxLength = defaultMaxLength;
        JsonElement m = o.get("model_max_length");
        if (m != null && !m.isJsonNull()) {
            if (!m.isJsonPrimitive() || !m.getAsJsonPrimitive().isNumber()) {
                throw new TokenizerFormatException(file, "model_max_length", "expected a number");
            }
            double d = m.getAsDouble();
            if (d < 1 || d != Math.rint(d)) {
                throw new TokenizerFormatException(file, "model_max_length", "expected a positive integer, got " + m);
            }
            if (d < UNSET_MAX_LENGTH && d <= Integer.MAX_VALUE) {
                maxLength = (int) d;
            }
        }
        return new Config(new BertNormalizer(true, chinese, stripAccents, lowercase), maxLength);
    }

    private static boolean bool(Path file, JsonObject o, String name, boolean fallback) throws TokenizerFormatException {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new TokenizerFormatException(file, name, "expected true or false");
        }
        return e.getAsBoolean();
    }
}
