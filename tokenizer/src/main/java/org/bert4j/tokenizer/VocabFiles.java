package org.bert4j.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
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
        Vocabulary vocabulary;
        try {
            vocabulary = vocabulary(Files.readAllBytes(vocabTxt));
        } catch (CharacterCodingException e) {
            throw new TokenizerFormatException(vocabTxt, "(content)", "not valid UTF-8", e);
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

    /**
     * Reads vocab.txt's lines (ended by \n, \r or \r\n, as {@link Files#readAllLines} splits them): line
     * {@code i}, without its trailing whitespace (Rust's {@code str::trim_end}, as Hugging Face trims it),
     * is token {@code i}. An ASCII line goes straight from the bytes into the vocabulary; only the others
     * are decoded, strictly.
     */
    static Vocabulary vocabulary(byte[] bytes) throws CharacterCodingException {
        Vocabulary.Builder b = new Vocabulary.Builder(bytes.length / 6);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        int id = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            boolean ascii = true;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                ascii &= bytes[end] >= 0;
                end++;
            }
            if (ascii) {
                int trimmed = end;
                while (trimmed > start && isAsciiWhitespace(bytes[trimmed - 1])) {
                    trimmed--;
                }
                b.addAscii(bytes, start, trimmed, id++);
            } else {
                b.add(trimEnd(utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString()), id++);
            }
            start = end + (end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n' ? 2 : 1);
        }
        return b.build();
    }

    /** The ASCII characters of Unicode's White_Space: tab, line feed, vertical tab, form feed, return, space. */
    private static boolean isAsciiWhitespace(byte b) {
        return b == ' ' || (b >= 0x09 && b <= 0x0D);
    }

    /** Rust's {@code str::trim_end}: drops trailing White_Space characters. */
    private static String trimEnd(String line) {
        int end = line.length();
        while (end > 0) {
            int c = line.codePointBefore(end);
            if (!BertCharacters.isWhitespace(c)) {
                break;
            }
            end -= Character.charCount(c);
        }
        return line.substring(0, end);
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
