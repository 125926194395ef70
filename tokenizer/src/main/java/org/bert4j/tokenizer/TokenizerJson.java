package org.bert4j.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Hugging Face's tokenizer.json, section by section, into the matching components: {@code normalizer}
 * → {@link BertNormalizer}, {@code pre_tokenizer} → {@link BertPreTokenizer}, {@code model} → {@link
 * WordPiece}, {@code post_processor} → {@link TemplateProcessing}, {@code decoder} → {@link
 * WordPieceDecoder}, {@code added_tokens} → {@link AddedTokens}.
 *
 * <p>Any other component type is refused with an error naming it, rather than tokenizing differently.
 * The file's {@code truncation} and {@code padding} sections are not applied (as transformers does not):
 * {@link EncodeOptions} decides those; only the padding token is taken from them.
 */
final class TokenizerJson {
    private final Path file;

    private TokenizerJson(Path file) {
        this.file = file;
    }

    static TokenizerParts read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        TokenizerJson reader = new TokenizerJson(file);
        // The vocabulary is nearly all of the file and nearly all of the loading time: read it with a
        // plain loop over the bytes, and only the few small sections with gson. Any file the scanner does
        // not take, gson reads whole (and words the error, if there is one).
        JsonVocabScanner.Found found = JsonVocabScanner.scan(bytes);
        if (found != null) {
            JsonObject root = withoutVocab(bytes, found);
            if (root != null) {
                return reader.parts(root, found.vocabulary());
            }
        }
        return reader.readStreaming();
    }

    /** Reads the file with gson alone, as {@link #read} does any file its fast vocabulary scan does not take. */
    static TokenizerParts readWithGson(Path file) throws IOException {
        return new TokenizerJson(file).readStreaming();
    }

    /** The file with an empty vocabulary object in place of {@code found}'s, as gson reads it; null if it cannot. */
    private static JsonObject withoutVocab(byte[] bytes, JsonVocabScanner.Found found) {
        try {
            // A decoder that reports bad bytes, as the reader of Files.newBufferedReader does.
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
            String rest = new StringBuilder(bytes.length - found.end() + found.start() + 2)
                    .append(utf8.decode(ByteBuffer.wrap(bytes, 0, found.start())))
                    .append("{}")
                    .append(utf8.decode(ByteBuffer.wrap(bytes, found.end(), bytes.length - found.end())))
                    .toString();
            JsonElement root = JsonParser.parseString(rest);
            return root.isJsonObject() ? root.getAsJsonObject() : null;
        } catch (CharacterCodingException | JsonParseException e) {
            return null; // the streaming read reports it, with the position in the real file
        }
    }

    /** Streams the vocabulary with gson, and reads every other section as a tree. */
    private TokenizerParts readStreaming() throws IOException {
        JsonObject root = new JsonObject();
        Vocabulary.Builder vocab = null;
        try (JsonReader r = new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                if (name.equals("model") && r.peek() == JsonToken.BEGIN_OBJECT) {
                    JsonObject model = new JsonObject();
                    r.beginObject();
                    while (r.hasNext()) {
                        String field = r.nextName();
                        if (field.equals("vocab") && r.peek() == JsonToken.BEGIN_OBJECT) {
                            vocab = vocab(r);
                        } else {
                            model.add(field, JsonParser.parseReader(r));
                        }
                    }
                    r.endObject();
                    root.add(name, model);
                } else {
                    root.add(name, JsonParser.parseReader(r));
                }
            }
            r.endObject();
        } catch (JsonParseException | IllegalStateException | java.io.EOFException | NumberFormatException
                 | MalformedJsonException e) {
            // MalformedJsonException is what the reader's own calls throw (parseReader wraps it in a JsonParseException).
            throw new TokenizerFormatException(file, "(root)", "not valid JSON: " + e.getMessage(), e);
        } catch (CharacterCodingException e) {
            // Java's decoding reader says only "Input length = 1"; the scan before this one found no position either.
            throw new TokenizerFormatException(file, "(content)", "not valid UTF-8 (tokenizer.json is always UTF-8)", e);
        }
        return parts(root, vocab);
    }

    private Vocabulary.Builder vocab(JsonReader r) throws IOException {
        Vocabulary.Builder ids = new Vocabulary.Builder(32768);
        r.beginObject();
        while (r.hasNext()) {
            String token = r.nextName();
            if (r.peek() != JsonToken.NUMBER) {
                throw new TokenizerFormatException(file, vocabEntry(token), "expected an integer id");
            }
            int id;
            try {
                id = r.nextInt();
            } catch (NumberFormatException e) {
                throw new TokenizerFormatException(file, vocabEntry(token), "expected an integer id", e);
            }
            if (id < 0) {
                throw new TokenizerFormatException(file, vocabEntry(token), "negative id " + id);
            }
            ids.add(token, id);
        }
        r.endObject();
        return ids;
    }

    private static String vocabEntry(String token) {
        return "model.vocab[\"" + token + "\"]";
    }

    private TokenizerParts parts(JsonObject root, Vocabulary.Builder vocab) throws TokenizerFormatException {
        JsonObject modelJson = object(root, "model", true);
        String modelType = string(modelJson, "type", "model.type", "WordPiece");
        if (!modelType.equals("WordPiece")) {
            throw unsupported("model.type", modelType, "WordPiece");
        }
        List<AddedTokens.Token> added = addedTokens(root);
        String unk = string(modelJson, "unk_token", "model.unk_token", "[UNK]");
        String prefix = string(modelJson, "continuing_subword_prefix", "model.continuing_subword_prefix", "##");
        int maxChars = integer(modelJson, "max_input_chars_per_word", "model.max_input_chars_per_word", 100);
        Vocabulary vocabulary;
        WordPiece model;
        try {
            // The model matches only its own vocabulary; ids and tokens are looked up in the union.
            if (vocab == null) {
                throw new TokenizerFormatException(file, "model.vocab", "is missing or not an object");
            }
            if (vocab.isEmpty()) {
                throw new TokenizerFormatException(file, "model.vocab", "is empty");
            }
            Vocabulary modelVocabulary = vocab.build();
            model = WordPiece.of(modelVocabulary, unk, prefix, maxChars);
            Map<String, Integer> addedIds = new HashMap<>();
            Map<Integer, String> addedTokens = new HashMap<>();
            for (int i = 0; i < added.size(); i++) {
                AddedTokens.Token t = added.get(i);
                checkAddedToken(modelVocabulary, t, addedTokens.put(t.id(), t.content()), "added_tokens[" + i + "]");
                addedIds.put(t.content(), t.id());
            }
            vocabulary = modelVocabulary.with(addedIds);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(file, "model", e.getMessage());
        }

        BertNormalizer normalizer = normalizer(root.get("normalizer"));
        preTokenizer(root.get("pre_tokenizer"));
        TemplateProcessing template = postProcessor(root.get("post_processor"), vocabulary);
        WordPieceDecoder decoder = decoder(root.get("decoder"));

        int padId = vocabulary.id("[PAD]");
        int padTypeId = 0;
        JsonElement padding = root.get("padding");
        if (padding != null && padding.isJsonObject()) {
            JsonObject p = padding.getAsJsonObject();
            padId = integer(p, "pad_id", "padding.pad_id", padId);
            padTypeId = integer(p, "pad_type_id", "padding.pad_type_id", 0);
            if (p.has("pad_id") && vocabulary.token(padId) == null) {
                // Padding would put an id the model has no embedding for, spelled by no token.
                throw new TokenizerFormatException(file, "padding.pad_id", "id " + padId + " is not in the vocabulary");
            }
            if (padTypeId < 0) {
                throw new TokenizerFormatException(file, "padding.pad_type_id", "negative type id " + padTypeId);
            }
        }
        return new TokenizerParts(vocabulary, model, normalizer, new AddedTokens(added), template, decoder, padId,
                padTypeId, 512);
    }

    private List<AddedTokens.Token> addedTokens(JsonObject root) throws TokenizerFormatException {
        List<AddedTokens.Token> tokens = new ArrayList<>();
        JsonElement list = root.get("added_tokens");
        if (list == null || list.isJsonNull()) {
            return tokens;
        }
        if (!list.isJsonArray()) {
            throw new TokenizerFormatException(file, "added_tokens", "expected an array");
        }
        JsonArray array = list.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            String where = "added_tokens[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw new TokenizerFormatException(file, where, "expected an object");
            }
            JsonObject t = array.get(i).getAsJsonObject();
            String content = string(t, "content", where + ".content", null);
            int id = integer(t, "id", where + ".id", -1);
            if (content == null || id < 0) {
                throw new TokenizerFormatException(file, where, "needs a content and a non-negative id");
            }
            for (String flag : new String[] {"single_word", "lstrip", "rstrip", "normalized"}) {
                if (bool(t, flag, where + "." + flag, false)) {
                    throw new TokenizerFormatException(file, where + "." + flag,
                            "added token '" + content + "' has " + flag + "=true, which is not supported "
                                    + "(only normalized=false tokens without lstrip/rstrip/single_word)");
                }
            }
            tokens.add(new AddedTokens.Token(content, id, bool(t, "special", where + ".special", false)));
        }
        return tokens;
    }

    /**
     * An added token must agree with the model's vocabulary: the same id for the same text, and no id that a
     * different token holds. Otherwise re-pointing it would leave an id the model still produces (its [UNK], say)
     * without any token, and encodings would carry ids spelled by nothing.
     */
    private void checkAddedToken(Vocabulary model, AddedTokens.Token t, String sameId, String where)
            throws TokenizerFormatException {
        int modelId = model.id(t.content());
        if (modelId >= 0 && modelId != t.id()) {
            throw new TokenizerFormatException(file, where + ".id", "'" + t.content() + "' has id " + t.id()
                    + " but model.vocab gives it id " + modelId);
        }
        String holder = model.token(t.id());
        if (holder != null && !holder.equals(t.content())) {
            throw new TokenizerFormatException(file, where + ".id", "id " + t.id() + " is '" + holder
                    + "' in model.vocab, not '" + t.content() + "'");
        }
        if (sameId != null && !sameId.equals(t.content())) {
            throw new TokenizerFormatException(file, where + ".id", "id " + t.id() + " is given to both '" + sameId
                    + "' and '" + t.content() + "'");
        }
    }

    private BertNormalizer normalizer(JsonElement json) throws TokenizerFormatException {
        if (json == null || json.isJsonNull()) {
            return new BertNormalizer(false, false, false, false);
        }
        JsonObject n = single(json, "normalizer", "normalizers");
        String type = string(n, "type", "normalizer.type", null);
        if (!"BertNormalizer".equals(type)) {
            throw unsupported("normalizer.type", type, "BertNormalizer");
        }
        boolean lowercase = bool(n, "lowercase", "normalizer.lowercase", true);
        JsonElement strip = n.get("strip_accents");
        boolean stripAccents = strip == null || strip.isJsonNull() ? lowercase : bool(n, "strip_accents",
                "normalizer.strip_accents", lowercase);
        return new BertNormalizer(bool(n, "clean_text", "normalizer.clean_text", true),
                bool(n, "handle_chinese_chars", "normalizer.handle_chinese_chars", true), stripAccents, lowercase);
    }

    private void preTokenizer(JsonElement json) throws TokenizerFormatException {
        if (json == null || json.isJsonNull()) {
            throw new TokenizerFormatException(file, "pre_tokenizer", "is missing; BertPreTokenizer is required");
        }
        JsonObject p = single(json, "pre_tokenizer", "pretokenizers");
        String type = string(p, "type", "pre_tokenizer.type", null);
        if (!"BertPreTokenizer".equals(type)) {
            throw unsupported("pre_tokenizer.type", type, "BertPreTokenizer");
        }
    }

    private TemplateProcessing postProcessor(JsonElement json, Vocabulary vocabulary) throws TokenizerFormatException {
        if (json == null || json.isJsonNull()) {
            return TemplateProcessing.none();
        }
        JsonObject p = single(json, "post_processor", "processors");
        String type = string(p, "type", "post_processor.type", null);
        if ("BertProcessing".equals(type)) {
            return TemplateProcessing.bert(pairId(p, "cls", vocabulary), pairId(p, "sep", vocabulary));
        }
        if (!"TemplateProcessing".equals(type)) {
            throw unsupported("post_processor.type", type, "TemplateProcessing or BertProcessing");
        }
        Map<String, int[]> specials = new HashMap<>();
        JsonObject specialJson = object(p, "special_tokens", false);
        if (specialJson != null) {
            for (Map.Entry<String, JsonElement> e : specialJson.entrySet()) {
                String where = "post_processor.special_tokens[\"" + e.getKey() + "\"].ids";
                if (!e.getValue().isJsonObject() || !e.getValue().getAsJsonObject().has("ids")
                        || !e.getValue().getAsJsonObject().get("ids").isJsonArray()) {
                    throw new TokenizerFormatException(file, where, "expected an array of ids");
                }
                JsonArray idsJson = e.getValue().getAsJsonObject().getAsJsonArray("ids");
                int[] ids = new int[idsJson.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = asInt(idsJson.get(i), where);
                    if (vocabulary.token(ids[i]) == null) {
                        throw new TokenizerFormatException(file, where, "id " + ids[i] + " is not in the vocabulary");
                    }
                }
                specials.put(e.getKey(), ids);
            }
        }
        return new TemplateProcessing(template(p, "single", specials, false), template(p, "pair", specials, true));
    }

    private List<TemplateProcessing.Piece> template(JsonObject p, String name, Map<String, int[]> specials,
                                                    boolean pair) throws TokenizerFormatException {
        String where = "post_processor." + name;
        JsonElement json = p.get(name);
        if (json == null || !json.isJsonArray()) {
            throw new TokenizerFormatException(file, where, "expected an array of template pieces");
        }
        List<TemplateProcessing.Piece> pieces = new ArrayList<>();
        boolean sawA = false;
        JsonArray array = json.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            String at = where + "[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw new TokenizerFormatException(file, at, "expected an object");
            }
            JsonObject piece = array.get(i).getAsJsonObject();
            if (piece.has("Sequence")) {
                JsonObject s = object(piece, "Sequence", true);
                String id = string(s, "id", at + ".Sequence.id", "A");
                if (!id.equals("A") && !(pair && id.equals("B"))) {
                    throw new TokenizerFormatException(file, at + ".Sequence.id", "unexpected sequence '" + id + "'");
                }
                sawA |= id.equals("A");
                pieces.add(new TemplateProcessing.Sequence(id.equals("B"), typeId(s, at)));
            } else if (piece.has("SpecialToken")) {
                JsonObject s = object(piece, "SpecialToken", true);
                String id = string(s, "id", at + ".SpecialToken.id", null);
                int[] ids = specials.get(id);
                if (ids == null) {
                    throw new TokenizerFormatException(file, at + ".SpecialToken.id",
                            "'" + id + "' is not in post_processor.special_tokens");
                }
                pieces.add(new TemplateProcessing.Special(ids, typeId(s, at)));
            } else {
                throw new TokenizerFormatException(file, at, "expected a Sequence or a SpecialToken");
            }
        }
        if (!sawA) {
            throw new TokenizerFormatException(file, where, "has no Sequence A");
        }
        return pieces;
    }

    /** A template piece's token type id: an index into the model's token-type embeddings, so never negative. */
    private int typeId(JsonObject piece, String at) throws TokenizerFormatException {
        int typeId = integer(piece, "type_id", at + ".type_id", 0);
        if (typeId < 0) {
            throw new TokenizerFormatException(file, at + ".type_id", "negative type id " + typeId);
        }
        return typeId;
    }

    private int pairId(JsonObject p, String name, Vocabulary vocabulary) throws TokenizerFormatException {
        JsonElement e = p.get(name);
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() != 2) {
            throw new TokenizerFormatException(file, "post_processor." + name, "expected [token, id]");
        }
        int id = asInt(e.getAsJsonArray().get(1), "post_processor." + name + "[1]");
        if (vocabulary.token(id) == null) {
            // Else every encoding starts with an id no token spells (found by TokenizerFuzzTest, crash-31839...).
            throw new TokenizerFormatException(file, "post_processor." + name + "[1]", "id " + id + " is not in the vocabulary");
        }
        return id;
    }

    private WordPieceDecoder decoder(JsonElement json) throws TokenizerFormatException {
        if (json == null || json.isJsonNull()) {
            return null;
        }
        JsonObject d = single(json, "decoder", "decoders");
        String type = string(d, "type", "decoder.type", null);
        if (!"WordPiece".equals(type)) {
            throw unsupported("decoder.type", type, "WordPiece");
        }
        return new WordPieceDecoder(string(d, "prefix", "decoder.prefix", "##"),
                bool(d, "cleanup", "decoder.cleanup", true));
    }

    /** A component, or the only element of a {@code Sequence} of them. */
    private JsonObject single(JsonElement json, String section, String listField) throws TokenizerFormatException {
        if (!json.isJsonObject()) {
            throw new TokenizerFormatException(file, section, "expected an object");
        }
        JsonObject o = json.getAsJsonObject();
        if ("Sequence".equals(string(o, "type", section + ".type", null)) && o.has(listField)
                && o.get(listField).isJsonArray() && o.getAsJsonArray(listField).size() == 1
                && o.getAsJsonArray(listField).get(0).isJsonObject()) {
            return o.getAsJsonArray(listField).get(0).getAsJsonObject();
        }
        return o;
    }

    private TokenizerFormatException unsupported(String field, String type, String supported) {
        return new TokenizerFormatException(file, field, "unsupported type '" + type + "' (bert4j supports "
                + supported + ")");
    }

    private JsonObject object(JsonObject o, String name, boolean required) throws TokenizerFormatException {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new TokenizerFormatException(file, name, "is missing");
            }
            return null;
        }
        if (!e.isJsonObject()) {
            throw new TokenizerFormatException(file, name, "expected an object");
        }
        return e.getAsJsonObject();
    }

    private String string(JsonObject o, String name, String where, String fallback) throws TokenizerFormatException {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new TokenizerFormatException(file, where, "expected a string");
        }
        return e.getAsString();
    }

    private boolean bool(JsonObject o, String name, String where, boolean fallback) throws TokenizerFormatException {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new TokenizerFormatException(file, where, "expected true or false");
        }
        return e.getAsBoolean();
    }

    private int integer(JsonObject o, String name, String where, int fallback) throws TokenizerFormatException {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? fallback : asInt(e, where);
    }

    private int asInt(JsonElement e, String where) throws TokenizerFormatException {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new TokenizerFormatException(file, where, "expected an integer");
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new TokenizerFormatException(file, where, "expected an integer, got " + e);
        }
        return (int) d;
    }
}
