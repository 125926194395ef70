package org.bert4j.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * The token ↔ id mapping of a WordPiece vocabulary (the model's tokens plus any added tokens).
 *
 * <p>Ids may have gaps; {@link #token(int)} returns null for an id no token has.
 */
final class Vocabulary {
    private final Map<String, Integer> ids;
    private final String[] tokens;

    Vocabulary(Map<String, Integer> ids) {
        this(new HashMap<>(ids), true);
    }

    /** Takes {@code ids} over without copying it: the caller must not keep or change it. */
    static Vocabulary owning(HashMap<String, Integer> ids) {
        return new Vocabulary(ids, true);
    }

    private Vocabulary(HashMap<String, Integer> ids, boolean owned) {
        this.ids = java.util.Collections.unmodifiableMap(ids);
        int max = -1;
        for (int id : ids.values()) {
            max = Math.max(max, id);
        }
        if (max >= 4 * ids.size() + 1024) {
            // A corrupt id must not make us allocate gigabytes for an almost empty table.
            throw new IllegalArgumentException("token ids are too sparse: largest id " + max + " for "
                    + ids.size() + " tokens");
        }
        tokens = new String[max + 1];
        // When two tokens share an id (a vocab.txt with a duplicated line), keep the one that owns the id in the map.
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            tokens[e.getValue()] = e.getKey();
        }
    }

    /** Reads vocab.txt lines: line {@code i} (trailing whitespace trimmed, as Hugging Face does) is token {@code i}. */
    static Vocabulary fromLines(Iterable<String> lines) {
        HashMap<String, Integer> ids = new HashMap<>();
        int i = 0;
        for (String line : lines) {
            ids.put(trimEnd(line), i++);
        }
        return owning(ids);
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

    /** The id of {@code token}, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token with id {@code id}, or null. */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    /** Number of distinct tokens. */
    int size() {
        return ids.size();
    }

    /** One more than the largest id. */
    int idBound() {
        return tokens.length;
    }

    Map<String, Integer> asMap() {
        return ids;
    }

    /** A copy with {@code extra} tokens added (or re-pointed to the given ids). */
    Vocabulary with(Map<String, Integer> extra) {
        HashMap<String, Integer> all = new HashMap<>(ids);
        all.putAll(extra);
        return owning(all);
    }
}
