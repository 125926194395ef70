package org.bert4j.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Finds {@code model.vocab} in the bytes of a tokenizer.json and reads its entries straight into a {@link
 * Vocabulary.Builder}: the 30,000 or so {@code "token": id} pairs that are nearly all of the file.
 *
 * <p>Why not gson: loading runs once per process, mostly in the interpreter, so a general JSON reader's
 * work per entry (several calls per character, a String per name, a boxed id, a hash map entry) is what a
 * command-line user waits for. One loop over the bytes does a fraction of that work.
 *
 * <p>It reads only what Hugging Face writes: strict JSON, a root object whose "model" object has a "vocab"
 * object of strings mapped to non-negative integers. At anything else (an unusual escape, a raw control
 * character, bytes that are not UTF-8, a repeated section, a comment) it gives up, returning null, and
 * {@link TokenizerJson} reads the file with gson, which also words any error precisely. It validates
 * nothing outside the vocabulary: it only skips over the other (small) sections, which gson then reads.
 */
final class JsonVocabScanner {
    private final byte[] json;
    private int pos;
    private boolean sawModel;
    private Vocabulary.Builder vocab;
    private int vocabStart;
    private int vocabEnd;

    /**
     * The vocabulary found, and where its object lies in the file.
     *
     * @param vocabulary the entries of {@code model.vocab}, in file order
     * @param start      the index of its opening brace
     * @param end        the index just past its closing brace
     */
    record Found(Vocabulary.Builder vocabulary, int start, int end) {}

    private JsonVocabScanner(byte[] json) {
        this.json = json;
    }

    /** Reads the vocabulary of the tokenizer.json {@code json}, or returns null if gson should read it. */
    static Found scan(byte[] json) {
        JsonVocabScanner s = new JsonVocabScanner(json);
        if (!s.members(true)) {
            return null;
        }
        s.pos = s.skipWhitespace(s.pos);
        return s.pos == json.length && s.vocab != null ? new Found(s.vocab, s.vocabStart, s.vocabEnd) : null;
    }

    /** Walks an object: in the root it descends into "model", and in the model it reads "vocab". */
    private boolean members(boolean root) {
        pos = skipWhitespace(pos);
        if (!consume('{')) {
            return false;
        }
        pos = skipWhitespace(pos);
        if (consume('}')) {
            return true;
        }
        do {
            pos = skipWhitespace(pos);
            int keyStart = pos + 1;
            if (!skipString()) {
                return false;
            }
            int keyEnd = pos - 1;
            pos = skipWhitespace(pos);
            if (!consume(':')) {
                return false;
            }
            pos = skipWhitespace(pos);
            if (root && isKey(keyStart, keyEnd, "model") && peek() == '{') {
                if (sawModel || !members(false)) {
                    return false;
                }
                sawModel = true;
            } else if (!root && isKey(keyStart, keyEnd, "vocab") && peek() == '{') {
                if (vocab != null) {
                    return false;
                }
                vocabStart = pos;
                if (!vocab()) {
                    return false;
                }
                vocabEnd = pos;
            } else if (!skipValue()) {
                return false;
            }
            pos = skipWhitespace(pos);
        } while (consume(','));
        return consume('}');
    }

    /** Reads the vocabulary object's {@code "token": id} pairs. */
    private boolean vocab() {
        vocab = new Vocabulary.Builder(json.length / 16);
        int p = skipWhitespace(pos + 1);
        if (p < json.length && json[p] == '}') {
            pos = p + 1;
            return true;
        }
        while (p >= 0 && p < json.length && json[p] == '"') {
            p = entry(p);
            if (p < 0 || p >= json.length) {
                return false;
            }
            if (json[p] == '}') {
                pos = p + 1;
                return true;
            }
            p = json[p] == ',' ? skipWhitespace(p + 1) : -1;
        }
        return false;
    }

    /**
     * Reads the entry {@code "token": id} at {@code p}; returns the index after it and any whitespace, or
     * -1 to give up. One call per entry rather than one long loop: the JIT compiles a method after a few
     * hundred calls, but a loop only after tens of thousands of iterations, and loading is over by then.
     */
    private int entry(int p) {
        byte[] json = this.json;
        int n = json.length;
        int start = ++p;
        boolean ascii = true;
        boolean escaped = false;
        while (p < n && json[p] != '"') {
            byte b = json[p];
            if (b == '\\') {
                escaped = true;
                p++; // the escaped character, which may be a quote
            } else if (b < 0) {
                ascii = false; // part of a multi-byte UTF-8 sequence
            } else if (b < 0x20) {
                return -1;
            }
            p++;
        }
        int end = p++;
        p = skipWhitespace(p);
        if (p >= n || json[p] != ':') {
            return -1;
        }
        p = skipWhitespace(p + 1);
        // The id: an unsigned integer that fits an int (a fraction or exponent fails the ',' or '}' check).
        int digits = p;
        long id = 0;
        while (p < n && json[p] >= '0' && json[p] <= '9' && p - digits < 10) {
            id = 10 * id + (json[p++] - '0');
        }
        if (p == digits || (json[digits] == '0' && p - digits > 1) || id > Integer.MAX_VALUE) {
            return -1;
        }
        if (ascii && !escaped) {
            vocab.addAscii(json, start, end, (int) id);
        } else {
            String token = escaped ? unescape(start, end) : utf8(start, end);
            if (token == null) {
                return -1;
            }
            vocab.add(token, (int) id);
        }
        return skipWhitespace(p);
    }

    /** The UTF-8 bytes {@code [start, end)} as a String, or null if they are not valid UTF-8. */
    private String utf8(int start, int end) {
        String s = new String(json, start, end - start, StandardCharsets.UTF_8);
        // The lenient decoder marks malformed bytes with U+FFFD; a real U+FFFD is left to gson as well.
        return s.indexOf('\uFFFD') >= 0 ? null : s;
    }

    /** A JSON string's content with its escapes resolved, or null for one gson should judge. */
    private String unescape(int start, int end) {
        StringBuilder out = new StringBuilder(end - start);
        int i = start;
        while (i < end) {
            if (json[i] != '\\') {
                int next = i;
                while (next < end && json[next] != '\\') {
                    next++;
                }
                String plain = utf8(i, next);
                if (plain == null) {
                    return null;
                }
                out.append(plain);
                i = next;
                continue;
            }
            char c = (char) json[i + 1];
            switch (c) {
                case '"', '\\', '/' -> out.append(c);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int unit = i + 6 <= end ? hex4(i + 2) : -1;
                    if (unit < 0) {
                        return null;
                    }
                    out.append((char) unit);
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
            i += 2;
        }
        return out.toString();
    }

    private int hex4(int at) {
        int value = 0;
        for (int k = at; k < at + 4; k++) {
            int digit = Character.digit(json[k], 16);
            if (digit < 0) {
                return -1;
            }
            value = 16 * value + digit;
        }
        return value;
    }

    /** Skips a string, or a whole array or object, or a number or literal; false where gson must judge. */
    private boolean skipValue() {
        byte b = peek();
        if (b == '"') {
            return skipString();
        }
        if (b == '{' || b == '[') {
            int depth = 0;
            do {
                b = peek();
                if (b == '"') {
                    if (!skipString()) {
                        return false;
                    }
                    continue;
                }
                if (b == 0 || b == '\'' || b == '/' || b == '#') {
                    return false; // the end, or lenient JSON (a quote or comment could hide a bracket)
                }
                if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                }
                pos++;
            } while (depth > 0);
            return true;
        }
        int start = pos;
        while (isLiteral(peek())) {
            pos++;
        }
        return pos > start;
    }

    private static boolean isLiteral(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '+'
                || b == '.';
    }

    /** Skips the string starting at {@code pos}, leaving {@code pos} after its closing quote. */
    private boolean skipString() {
        if (!consume('"')) {
            return false;
        }
        while (pos < json.length && json[pos] != '"') {
            pos += json[pos] == '\\' ? 2 : 1;
        }
        return consume('"');
    }

    private boolean isKey(int start, int end, String key) {
        if (end - start != key.length()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (json[start + i] != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first index from {@code p} on that is not JSON whitespace. */
    private int skipWhitespace(int p) {
        byte[] json = this.json;
        while (p < json.length && (json[p] == ' ' || json[p] == '\n' || json[p] == '\r' || json[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** The byte at {@code pos}, or 0 at the end (0 is never valid there). */
    private byte peek() {
        return pos < json.length ? json[pos] : 0;
    }

    private boolean consume(char c) {
        if (pos < json.length && json[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }
}
