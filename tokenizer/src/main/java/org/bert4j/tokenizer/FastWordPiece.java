package org.bert4j.tokenizer;

import java.util.Arrays;

/**
 * WordPiece in linear time: LinMaxMatch, from Song et al. 2021, "Fast WordPiece Tokenization" (EMNLP).
 *
 * <p>Every vocabulary entry is put in one trie, "##"-pieces included (they hang below the node of "##",
 * the <em>suffix root</em>). Each node {@code v} also gets, computed once here:
 * <ul>
 *   <li>its <em>failure pops</em> F(v): the tokens greedy longest-match-first emits when the text read so
 *       far (v's string) can be extended no further;</li>
 *   <li>its <em>failure link</em> f(v): the node of what is left of v's string after those tokens, as a
 *       "##"-piece, from which matching carries on.</li>
 * </ul>
 * Tokenizing a word then reads each character once: follow the trie edge if there is one; if not, emit
 * F(v) and jump to f(v) (repeatedly) until there is one. The original greedy algorithm ({@link WordPiece})
 * backtracks and is quadratic in the word length; the output is the same (the paper's Theorem 1), which
 * the tests check against it and against Hugging Face.
 *
 * <p>The alphabet is UTF-16 code units: a vocabulary entry never ends inside a surrogate pair, so matches
 * fall on code point boundaries as in Hugging Face. Nodes are numbered breadth first with each node's
 * children consecutive and sorted, so finding a child reads one short contiguous run of memory.
 */
final class FastWordPiece {
    static final int NONE = -1;
    static final int ROOT = 0;
    /** Children of nodes with more than this many are found by binary search, not a scan. */
    private static final int SCAN_LIMIT = 8;

    /** The node of the continuing-subword prefix ("##"): where matching resumes after a failure. */
    final int suffixRoot;
    /**
     * Per node v, four ints at {@code 4 * v} (one record, so a step touches one cache line): its first child
     * (the children of v are the nodes {@code nodes[4v] .. nodes[4v + 4] - 1}), f(v) (or NONE where a failure
     * means the whole word is unknown), and where F(v) starts in {@link #pops} (it ends where F(v + 1) starts).
     */
    final int[] nodes;
    static final int FIRST_CHILD = 0;
    static final int FAILURE = 1;
    static final int POPS = 2;
    /** The failure pops, two ints each: the token id, and its length in UTF-16 units without "##". */
    final int[] pops;

    /** unit[w] labels the edge into node w. */
    private final char[] unit;
    /** Direct child tables of the two roots for ASCII, the busiest lookups. */
    private final int[] rootAscii;
    private final int[] suffixAscii;

    private FastWordPiece(int suffixRoot, int[] nodes, int[] pops, char[] unit) {
        this.suffixRoot = suffixRoot;
        this.nodes = nodes;
        this.pops = pops;
        this.unit = unit;
        this.rootAscii = asciiChildren(ROOT);
        this.suffixAscii = asciiChildren(suffixRoot);
    }

    private int[] asciiChildren(int node) {
        int[] direct = new int[128];
        for (char c = 0; c < 128; c++) {
            direct[c] = search(node, c);
        }
        return direct;
    }

    /** The child of {@code node} along {@code c}, or {@link #NONE}. */
    int child(int node, char c) {
        if (c < 128) {
            if (node == ROOT) {
                return rootAscii[c];
            }
            if (node == suffixRoot) {
                return suffixAscii[c];
            }
        }
        return search(node, c);
    }

    private int search(int node, char c) {
        int lo = nodes[4 * node + FIRST_CHILD];
        int hi = nodes[4 * node + 4 + FIRST_CHILD];
        if (hi - lo <= SCAN_LIMIT) {
            for (int w = lo; w < hi; w++) {
                if (unit[w] == c) {
                    return w;
                }
            }
            return NONE;
        }
        hi--;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char u = unit[mid];
            if (u < c) {
                lo = mid + 1;
            } else if (u > c) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return NONE;
    }

    /** Builds the trie, failure links and failure pops for {@code vocabulary} and the prefix. */
    static FastWordPiece build(Vocabulary vocabulary, String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("LinMaxMatch needs a non-empty continuing-subword prefix");
        }
        Trie t = new Trie(vocabulary, prefix);
        int n = t.size;
        int suffixRoot = t.suffixRoot;

        // Failure links point to strictly shorter texts (not counting the "##" of the suffix subtree), so
        // handling nodes in order of that length has every f(u) and F(f(u)) ready when needed.
        int[] textLength = new int[n];
        for (int v = 1; v < n; v++) { // breadth first: parents come first
            textLength[v] = v == suffixRoot ? 0 : textLength[t.parent[v]] + 1;
        }
        int[] order = countingSort(textLength);

        // The paper's Algorithm 2. F(v) lists are kept in one growing pool, as (start, length) per node,
        // holding the nodes of the tokens until they are turned into ids below.
        int[] records = new int[4 * (n + 1)];
        for (int v = 0; v <= n; v++) {
            records[4 * v + FIRST_CHILD] = t.firstChild[v];
        }
        FastWordPiece lookup = new FastWordPiece(suffixRoot, records, null, t.unit);
        int[] failure = new int[n];
        Arrays.fill(failure, NONE);
        int[] fStart = new int[n];
        int[] fLength = new int[n];
        IntList pool = new IntList();
        for (int v : order) {
            if (v == ROOT || v == suffixRoot) {
                continue; // f and F of the two roots stay empty
            }
            fStart[v] = pool.size();
            if (t.tokenId[v] != NONE) {
                pool.add(v);
                fLength[v] = 1;
                failure[v] = suffixRoot;
                continue;
            }
            int u = t.parent[v];
            char c = t.unit[v];
            pool.addRange(fStart[u], fLength[u]);
            int z = failure[u];
            while (z != NONE && lookup.child(z, c) == NONE) {
                pool.addRange(fStart[z], fLength[z]);
                z = failure[z];
            }
            if (z != NONE) {
                failure[v] = lookup.child(z, c);
            }
            fLength[v] = pool.size() - fStart[v];
        }

        // Lay F(v) out in node order, as (token id, length) pairs, and fill in the node records.
        int total = 0;
        for (int v = 0; v < n; v++) {
            total += fLength[v];
        }
        int[] pops = new int[2 * total];
        int at = 0;
        for (int v = 0; v < n; v++) {
            records[4 * v + FAILURE] = failure[v];
            records[4 * v + POPS] = at;
            for (int k = 0; k < fLength[v]; k++) {
                int token = pool.get(fStart[v] + k);
                pops[at++] = t.tokenId[token];
                pops[at++] = t.tokenLength[token];
            }
        }
        records[4 * n + POPS] = at;
        records[4 * n + FAILURE] = NONE;
        return new FastWordPiece(suffixRoot, records, pops, t.unit);
    }

    private static int[] countingSort(int[] keys) {
        int max = 0;
        for (int k : keys) {
            max = Math.max(max, k);
        }
        int[] start = new int[max + 2];
        for (int k : keys) {
            start[k + 1]++;
        }
        for (int i = 0; i <= max; i++) {
            start[i + 1] += start[i];
        }
        int[] order = new int[keys.length];
        for (int v = 0; v < keys.length; v++) {
            order[start[keys[v]]++] = v;
        }
        return order;
    }

    /** The vocabulary as a trie numbered breadth first, each node's children consecutive and sorted by unit. */
    private static final class Trie {
        final int size;
        final int suffixRoot;
        final int[] parent;
        final char[] unit;
        final int[] firstChild;
        final int[] tokenId;
        final int[] tokenLength;

        Trie(Vocabulary vocabulary, String prefix) {
            // 1. Insert every entry, edges in a hash table.
            Growing g = new Growing(vocabulary.entryCount() * 4);
            int sr = ROOT;
            for (int i = 0; i < prefix.length(); i++) {
                sr = g.step(sr, prefix.charAt(i));
            }
            for (int k = 0; k < vocabulary.entryCount(); k++) {
                g.insert(vocabulary, k, prefix);
            }
            size = g.size;
            // 2. Group the nodes by parent, each group sorted by unit: a counting sort by unit, then a stable
            //    one by parent. (Sorting each node's children with a call apiece cost more, interpreted.)
            int[] unitStart = new int[Character.MAX_VALUE + 2];
            for (int v = 1; v < size; v++) {
                unitStart[g.unit[v] + 1]++;
            }
            for (int u = 0; u <= Character.MAX_VALUE; u++) {
                unitStart[u + 1] += unitStart[u];
            }
            int[] byUnit = new int[size - 1];
            for (int v = 1; v < size; v++) {
                byUnit[unitStart[g.unit[v]]++] = v;
            }
            int[] groupStart = new int[size + 1];
            for (int v = 1; v < size; v++) {
                groupStart[g.parent[v] + 1]++;
            }
            for (int v = 0; v < size; v++) {
                groupStart[v + 1] += groupStart[v];
            }
            int[] children = new int[size - 1];
            int[] fill = Arrays.copyOf(groupStart, size);
            for (int v : byUnit) {
                children[fill[g.parent[v]]++] = v;
            }
            // 3. Renumber breadth first: the children of each node become consecutive.
            int[] newId = new int[size];
            int[] oldOf = new int[size];
            parent = new int[size];
            unit = new char[size];
            firstChild = new int[size + 1];
            tokenId = new int[size];
            tokenLength = new int[size];
            int next = 1;
            parent[ROOT] = NONE;
            for (int v = 0; v < size; v++) {
                int old = oldOf[v];
                firstChild[v] = next;
                for (int k = groupStart[old]; k < groupStart[old + 1]; k++) {
                    int c = children[k];
                    newId[c] = next;
                    oldOf[next] = c;
                    parent[next] = v;
                    unit[next] = g.unit[c];
                    next++;
                }
                tokenId[v] = g.tokenId[old];
                tokenLength[v] = g.tokenLength[old];
            }
            firstChild[size] = next;
            suffixRoot = newId[sr];
        }
    }

    private static boolean startsWith(char[] units, int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (units[start + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The trie while it grows: parent, unit, token id and length per node; edges (node, unit) hashed. */
    private static final class Growing {
        int[] parent;
        char[] unit;
        int[] tokenId;
        int[] tokenLength;
        int size = 1;
        private long[] keys;
        private int[] values;

        Growing(int capacity) {
            parent = new int[capacity];
            unit = new char[capacity];
            tokenId = new int[capacity];
            tokenLength = new int[capacity];
            parent[ROOT] = NONE;
            tokenId[ROOT] = NONE;
            keys = new long[Integer.highestOneBit(Math.max(16, capacity)) << 1];
            Arrays.fill(keys, -1L);
            values = new int[keys.length];
        }

        /**
         * Inserts entry k of the vocabulary. (A call per entry, not one loop over them all, because the JIT
         * compiles a method after a few hundred calls but a loop only after tens of thousands of rounds.)
         */
        void insert(Vocabulary vocabulary, int k, String prefix) {
            int id = vocabulary.entryId(k);
            int start = vocabulary.entryStart(k);
            int end = vocabulary.entryEnd(k);
            char[] units = vocabulary.units();
            boolean continuing = startsWith(units, start, end, prefix);
            if (id < 0 || start == end || (continuing && end - start == prefix.length())) {
                return; // "##" alone never matches: a continuation piece needs a character after it
            }
            int node = ROOT;
            for (int i = start; i < end; i++) {
                node = step(node, units[i]);
            }
            tokenId[node] = id;
            tokenLength[node] = continuing ? end - start - prefix.length() : end - start;
        }

        /** The child of {@code node} along {@code c}, created if missing. */
        int step(int node, char c) {
            long key = ((long) node << 16) | c;
            int mask = keys.length - 1;
            int slot = hash(key) & mask;
            while (keys[slot] != -1) {
                if (keys[slot] == key) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            if (size == parent.length) {
                int grown = size * 2;
                parent = Arrays.copyOf(parent, grown);
                unit = Arrays.copyOf(unit, grown);
                tokenId = Arrays.copyOf(tokenId, grown);
                tokenLength = Arrays.copyOf(tokenLength, grown);
            }
            int created = size++;
            parent[created] = node;
            unit[created] = c;
            tokenId[created] = NONE;
            keys[slot] = key;
            values[slot] = created;
            if (size * 2 > keys.length) {
                rehash();
            }
            return created;
        }

        private static int hash(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32);
        }

        private void rehash() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            Arrays.fill(keys, -1L);
            values = new int[keys.length];
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != -1) {
                    int slot = hash(oldKeys[i]) & mask;
                    while (keys[slot] != -1) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    values[slot] = oldValues[i];
                }
            }
        }
    }

    /** A growable int list, to keep the build free of boxing and small arrays. */
    private static final class IntList {
        private int[] a = new int[1024];
        private int size;

        int size() {
            return size;
        }

        int get(int i) {
            return a[i];
        }

        void add(int value) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = value;
        }

        /** Appends a copy of this list's own elements {@code [from, from + length)}. */
        void addRange(int from, int length) {
            if (size + length > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, size + length));
            }
            System.arraycopy(a, from, a, size, length);
            size += length;
        }
    }
}
