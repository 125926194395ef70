package org.bert4j.tokenizer;

import java.util.Arrays;
import java.util.Map;

/**
 * The token ↔ id mapping of a WordPiece vocabulary (the model's tokens plus any added tokens).
 *
 * <p>Ids may have gaps; {@link #token(int)} returns null for an id no token has.
 *
 * <p>Built for a fast cold start, since loading runs once, mostly in the interpreter: the tokens are
 * kept as one array of UTF-16 units (which {@link FastWordPiece} builds its trie from), the token → id
 * map is an open-addressing table of entry numbers, and nothing is boxed. A token's String is made the
 * first time {@link #token(int)} asks for it and then kept; that cache is the only state that changes
 * after construction, and it is safe to share: a String is immutable, so a thread reads either null (and
 * makes an equal String itself) or a complete one, as with String's own cached hash.
 */
final class Vocabulary {
    /** Entry k is the token {@code units[starts[k], starts[k + 1])} with id {@code ids[k]}. */
    private final char[] units;
    private final int[] starts;
    private final int[] ids;
    /** String.hashCode of each entry's token. */
    private final int[] hashes;
    /** Open addressing by hash: entry number + 1, or 0 for an empty slot. */
    private final int[] table;
    /** Entries whose token a later entry repeats: that one holds the token's id. */
    private final boolean[] replaced;
    /** The entry that owns each id, or -1. */
    private final int[] entryOfId;
    private final String[] strings;
    private final int size;

    private Vocabulary(Builder b) {
        units = b.units;
        starts = b.starts;
        ids = b.ids;
        hashes = b.hashes;
        int n = ids.length;
        table = new int[Integer.highestOneBit(Math.max(8, n)) << 2]; // at most half full
        replaced = new boolean[n];
        int distinct = 0;
        int max = -1;
        for (int k = 0; k < n; k++) {
            if (ids[k] < 0) {
                throw new IllegalArgumentException("negative token id " + ids[k]);
            }
            int slot = find(k);
            if (table[slot] == 0) {
                distinct++;
            } else {
                replaced[table[slot] - 1] = true; // a repeated token takes its last id, as a map's put does
            }
            table[slot] = k + 1;
            max = Math.max(max, ids[k]);
        }
        size = distinct;
        if (max >= 4 * size + 1024) {
            // A corrupt id must not make us allocate gigabytes for an almost empty table.
            throw new IllegalArgumentException("token ids are too sparse: largest id " + max + " for "
                    + size + " tokens");
        }
        entryOfId = new int[max + 1];
        Arrays.fill(entryOfId, -1);
        for (int k = 0; k < n; k++) {
            if (!replaced[k]) {
                entryOfId[ids[k]] = k; // when two tokens share an id, the later one keeps it
            }
        }
        strings = new String[max + 1];
    }

    /** A vocabulary of the given tokens and ids (for tests and small vocabularies). */
    static Vocabulary of(Map<String, Integer> ids) {
        Builder b = new Builder(ids.size());
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            b.add(e.getKey(), e.getValue());
        }
        return b.build();
    }

    /** The slot of entry k's token: the slot holding an equal token, or the empty slot it would go in. */
    private int find(int k) {
        int mask = table.length - 1;
        int slot = spread(hashes[k]) & mask;
        while (table[slot] != 0) {
            int other = table[slot] - 1;
            if (hashes[other] == hashes[k] && Arrays.equals(units, starts[k], starts[k + 1], units,
                    starts[other], starts[other + 1])) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Mixes the high bits of a String hash into the low ones the table uses. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The id of {@code token}, or -1. */
    int id(String token) {
        int hash = token.hashCode();
        int mask = table.length - 1;
        int slot = spread(hash) & mask;
        while (table[slot] != 0) {
            int k = table[slot] - 1;
            if (hashes[k] == hash && sameUnits(k, token)) {
                return ids[k];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private boolean sameUnits(int k, String token) {
        int start = starts[k];
        if (starts[k + 1] - start != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (units[start + i] != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The token with id {@code id}, or null. */
    String token(int id) {
        if (id < 0 || id >= entryOfId.length || entryOfId[id] < 0) {
            return null;
        }
        String s = strings[id];
        if (s == null) {
            int k = entryOfId[id];
            s = new String(units, starts[k], starts[k + 1] - starts[k]);
            strings[id] = s;
        }
        return s;
    }

    /** Number of distinct tokens. */
    int size() {
        return size;
    }

    /** One more than the largest id. */
    int idBound() {
        return entryOfId.length;
    }

    /** The number of entries, to walk with {@link #entryId}, {@link #entryStart} and {@link #entryEnd}. */
    int entryCount() {
        return ids.length;
    }

    /** The id of entry k, or -1 if a later entry with the same token replaced it. */
    int entryId(int k) {
        return replaced[k] ? -1 : ids[k];
    }

    /** Where entry k's token starts in {@link #units()}. */
    int entryStart(int k) {
        return starts[k];
    }

    /** Where entry k's token ends in {@link #units()}. */
    int entryEnd(int k) {
        return starts[k + 1];
    }

    /** All tokens' UTF-16 units, one after another: read-only. */
    char[] units() {
        return units;
    }

    /** A copy with {@code extra} tokens added (or re-pointed to the given ids); this one if none changes. */
    Vocabulary with(Map<String, Integer> extra) {
        boolean changes = false;
        for (Map.Entry<String, Integer> e : extra.entrySet()) {
            changes |= id(e.getKey()) != e.getValue();
        }
        if (!changes) {
            return this; // the usual case: BERT's special tokens are in the vocabulary already
        }
        Builder b = new Builder(this);
        for (Map.Entry<String, Integer> e : extra.entrySet()) {
            b.add(e.getKey(), e.getValue());
        }
        return b.build();
    }

    /** Collects entries in order; {@link #build()} makes the vocabulary, after which the builder is spent. */
    static final class Builder {
        private char[] units;
        private int[] starts;
        private int[] ids;
        private int[] hashes;
        private int count;

        Builder(int expectedTokens) {
            int n = Math.max(16, expectedTokens);
            units = new char[8 * n];
            starts = new int[n + 1];
            ids = new int[n];
            hashes = new int[n];
        }

        private Builder(Vocabulary v) {
            units = v.units.clone();
            starts = v.starts.clone();
            ids = v.ids.clone();
            hashes = v.hashes.clone();
            count = v.entryCount();
        }

        /** Adds {@code token} with id {@code id}; a later entry for the same token overrides it. */
        void add(String token, int id) {
            int start = room(token.length());
            token.getChars(0, token.length(), units, start);
            end(start + token.length(), id, token.hashCode());
        }

        /**
         * Adds the token {@code bytes[from, to)}, which must be ASCII: its bytes are its UTF-16 units. Reading
         * the bytes straight in (no String, no decoder) is what keeps a 30,000-token load short.
         */
        void addAscii(byte[] bytes, int from, int to, int id) {
            int at = room(to - from);
            int hash = 0;
            for (int i = from; i < to; i++) {
                char c = (char) bytes[i];
                units[at++] = c;
                hash = 31 * hash + c; // String.hashCode, so that id(String) finds it
            }
            end(at, id, hash);
        }

        /** Makes room for {@code length} more units; returns where the next token starts. */
        private int room(int length) {
            if (count == ids.length) {
                int grown = 2 * count;
                starts = Arrays.copyOf(starts, grown + 1);
                ids = Arrays.copyOf(ids, grown);
                hashes = Arrays.copyOf(hashes, grown);
            }
            int start = starts[count];
            if (start + length > units.length) {
                units = Arrays.copyOf(units, Math.max(2 * units.length, start + length));
            }
            return start;
        }

        private void end(int end, int id, int hash) {
            ids[count] = id;
            hashes[count] = hash;
            starts[++count] = end;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** The vocabulary of the entries added. */
        Vocabulary build() {
            ids = Arrays.copyOf(ids, count);
            hashes = Arrays.copyOf(hashes, count);
            starts = Arrays.copyOf(starts, count + 1);
            return new Vocabulary(this);
        }
    }
}
