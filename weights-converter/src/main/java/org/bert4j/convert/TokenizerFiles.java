package org.bert4j.convert;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tokenizer side of a model folder, derived from a Hugging Face {@code tokenizer.json}: the file itself
 * (copied byte for byte), {@code vocab.txt} (the WordPiece vocabulary, one token per line in id order) and
 * {@code tokenizer_config.json} (do_lower_case and the special tokens, as transformers' BertTokenizer reads them).
 */
final class TokenizerFiles {

    private final String source;
    private final byte[] tokenizerJson;
    private final String[] vocab;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final boolean chineseChars;
    private final String unk;
    private final String cls;
    private final String sep;
    private final String pad;
    private final String mask;

    private TokenizerFiles(String source, byte[] tokenizerJson, String[] vocab, boolean lowercase, boolean stripAccents,
                           boolean chineseChars, String unk, String cls, String sep, String pad, String mask) {
        this.source = source;
        this.tokenizerJson = tokenizerJson;
        this.vocab = vocab;
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.chineseChars = chineseChars;
        this.unk = unk;
        this.cls = cls;
        this.sep = sep;
        this.pad = pad;
        this.mask = mask;
    }

    /** Reads a WordPiece {@code tokenizer.json}; {@code source} names it in errors. */
    static TokenizerFiles parse(String source, byte[] tokenizerJson) throws ConversionException {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(new String(tokenizerJson, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new ConversionException(source + ": tokenizer.json is not a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new ConversionException(source + ": tokenizer.json is not valid JSON: " + e.getMessage(), e);
        }
        JsonObject model = object(root, "model");
        if (model == null || !"WordPiece".equals(string(model, "type"))) {
            throw new ConversionException(source + ": tokenizer.json's model is "
                    + (model == null ? "missing" : string(model, "type")) + ", only WordPiece (BERT) is supported");
        }
        JsonObject vocabJson = object(model, "vocab");
        if (vocabJson == null) {
            throw new ConversionException(source + ": tokenizer.json has no model.vocab");
        }
        String[] vocab = new String[vocabJson.size()];
        for (Map.Entry<String, JsonElement> entry : vocabJson.entrySet()) {
            int id = entry.getValue().getAsInt();
            if (id < 0 || id >= vocab.length || vocab[id] != null) {
                throw new ConversionException(source + ": tokenizer.json vocab ids are not 0.." + (vocab.length - 1)
                        + " without repeats (token '" + entry.getKey() + "' has id " + id + ")");
            }
            if (entry.getKey().indexOf('\n') >= 0 || entry.getKey().indexOf('\r') >= 0) {
                throw new ConversionException(source + ": vocab token with id " + id + " contains a line break; vocab.txt cannot hold it");
            }
            vocab[id] = entry.getKey();
        }
        // BertNormalizer (possibly inside a Sequence) decides lower-casing; strip_accents null means "same as lowercase".
        boolean lowercase = false;
        boolean stripAccents = false;
        boolean chinese = false;
        JsonObject bert = findNormalizer(object(root, "normalizer"), "BertNormalizer");
        if (bert != null) {
            lowercase = bool(bert, "lowercase", true);
            JsonElement strip = bert.get("strip_accents");
            stripAccents = strip == null || strip.isJsonNull() ? lowercase : strip.getAsBoolean();
            chinese = bool(bert, "handle_chinese_chars", true);
        } else if (findNormalizer(object(root, "normalizer"), "Lowercase") != null) {
            lowercase = true;
            stripAccents = findNormalizer(object(root, "normalizer"), "StripAccents") != null;
        }
        String unk = string(model, "unk_token");
        return new TokenizerFiles(source, tokenizerJson.clone(), vocab, lowercase, stripAccents, chinese,
                present(vocab, unk, "[UNK]"), present(vocab, null, "[CLS]"), present(vocab, null, "[SEP]"),
                present(vocab, null, "[PAD]"), present(vocab, null, "[MASK]"));
    }

    /** The id of the padding token (BERT's [PAD]), or 0 when the vocabulary has none. */
    int padTokenId() {
        for (int i = 0; i < vocab.length; i++) {
            if (vocab[i].equals(pad)) {
                return i;
            }
        }
        return 0;
    }

    int vocabSize() {
        return vocab.length;
    }

    /** Writes tokenizer.json, vocab.txt and tokenizer_config.json into {@code dir}. */
    void writeInto(Path dir, int modelMaxLength) throws IOException {
        Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
        StringBuilder lines = new StringBuilder();
        for (String token : vocab) {
            lines.append(token).append('\n');
        }
        Files.writeString(dir.resolve("vocab.txt"), lines, StandardCharsets.UTF_8);
        JsonObject config = new JsonObject();
        config.addProperty("tokenizer_class", "BertTokenizer");
        config.addProperty("do_lower_case", lowercase);
        config.addProperty("strip_accents", stripAccents);
        config.addProperty("tokenize_chinese_chars", chineseChars);
        config.addProperty("model_max_length", modelMaxLength);
        config.addProperty("clean_up_tokenization_spaces", true);
        putToken(config, "unk_token", unk);
        putToken(config, "cls_token", cls);
        putToken(config, "sep_token", sep);
        putToken(config, "pad_token", pad);
        putToken(config, "mask_token", mask);
        Files.writeString(dir.resolve("tokenizer_config.json"),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(config) + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TokenizerFiles[" + source + ", " + vocab.length + " tokens, lowercase=" + lowercase + "]";
    }

    private static void putToken(JsonObject config, String key, String token) {
        if (token != null) {
            config.addProperty(key, token);
        }
    }

    /** {@code preferred} when the vocabulary has it, else {@code fallback} when it has that, else null. */
    private static String present(String[] vocab, String preferred, String fallback) {
        String found = null;
        for (String t : vocab) {
            if (t.equals(preferred)) {
                return t;
            }
            if (t.equals(fallback)) {
                found = t;
            }
        }
        return found;
    }

    private static JsonObject findNormalizer(JsonObject normalizer, String type) {
        if (normalizer == null) {
            return null;
        }
        if (type.equals(string(normalizer, "type"))) {
            return normalizer;
        }
        if ("Sequence".equals(string(normalizer, "type")) && normalizer.get("normalizers") != null
                && normalizer.get("normalizers").isJsonArray()) {
            for (JsonElement e : normalizer.getAsJsonArray("normalizers")) {
                if (e.isJsonObject()) {
                    JsonObject found = findNormalizer(e.getAsJsonObject(), type);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static boolean bool(JsonObject o, String key, boolean fallback) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsBoolean() : fallback;
    }
}
