package org.bert4j.tokenizer;

/**
 * The whole BERT pipeline in a single left-to-right pass over the text, as in Song et al. 2021 §4
 * ("end-to-end" Fast WordPiece): added tokens, normalization and pre-tokenization come from one lookup per
 * character ({@link CharTable}), and each word character goes straight into the LinMaxMatch automaton
 * ({@link FastWordPiece}); ids, offsets and word indices go into int arrays, and no string is built.
 *
 * <p>It gives exactly what {@link PipelineEncoder} gives (tested on the oracle corpus). A text holding a
 * character that only the step-by-step pipeline handles exactly ({@link CharTable#COMPLEX}) is handed to
 * it whole.
 */
final class FusedEncoder implements SequenceEncoder {
    private final AddedTokens addedTokens;
    private final CharTable table;
    private final FastWordPiece trie;
    private final int unkId;
    private final int maxChars;
    private final PipelineEncoder fallback;

    FusedEncoder(AddedTokens addedTokens, CharTable table, FastWordPiece trie, WordPiece model,
                 PipelineEncoder fallback) {
        this.addedTokens = addedTokens;
        this.table = table;
        this.trie = trie;
        this.unkId = model.unkId();
        this.maxChars = model.maxInputCharsPerWord();
        this.fallback = fallback;
    }

    /**
     * Whether the fast path reproduces {@code model}: words must never contain a character of the
     * continuing-subword prefix, which holds when the pre-tokenizer isolates each of them (as it does "#").
     */
    static boolean supports(WordPiece model) {
        String prefix = model.continuingPrefix();
        if (prefix.isEmpty()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (Character.isSurrogate(c) || !(BertCharacters.isPunctuation(c) || BertCharacters.isWhitespace(c))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void encode(String text, TokenBuffer out, int limit) {
        int start = out.size();
        if (!new Pass(text, out, limit).run()) {
            out.truncate(start);
            fallback.encode(text, out, limit);
        }
    }

    /** The state of one pass: the current word, and where LinMaxMatch stands in it. */
    private final class Pass {
        private final String text;
        private final TokenBuffer out;
        private final int limit;
        private int blockIndex = -1;
        private CharTable.Block block;

        private int word;            // index of the current (or next) word
        private boolean inWord;
        private boolean unknown;     // the current word has already turned out to be [UNK]
        private int node;            // LinMaxMatch state
        private int length;          // UTF-16 units of the current word read so far
        private int codePoints;      // code points of the current word
        private int tokenStart;      // unit index (in the word) where the next emitted token starts
        private int firstToken;      // out.size() when the word began, to roll back on [UNK]
        private int wordStart;       // the word's span in the original text
        private int wordEnd;
        // Original span of each unit of the current word (at most 2 * maxChars: longer words are [UNK]).
        private int[] spanStarts;
        private int[] spanEnds;

        Pass(String text, TokenBuffer out, int limit) {
            this.text = text;
            this.out = out;
            this.limit = limit;
            int capacity = Math.min(2 * maxChars + 2, 64);
            this.spanStarts = new int[capacity];
            this.spanEnds = new int[capacity];
        }

        /** Tokenizes the text; false if it holds a character only the full pipeline handles exactly. */
        boolean run() {
            final String s = text;
            final int n = s.length();
            final boolean checkAdded = !addedTokens.isEmpty();
            int i = 0;
            while (i < n) {
                char ch = s.charAt(i);
                if (checkAdded && addedTokens.mayStartWith(ch)) {
                    AddedTokens.Token t = addedTokens.matchAt(s, i, n);
                    if (t != null) {
                        endWord();
                        out.add(t.id(), i, i + t.content().length(), word++);
                        i += t.content().length();
                        if (out.size() >= limit) {
                            return true;
                        }
                        continue;
                    }
                }
                int cp = ch;
                int width = 1;
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(ch, s.charAt(i + 1));
                    width = 2;
                }
                int entry;
                int[] multi = null;
                if (cp < CharTable.TABULATED) {
                    // Consecutive characters mostly share a block: keep the last one at hand.
                    if ((cp >>> 8) != blockIndex) {
                        blockIndex = cp >>> 8;
                        block = table.block(cp);
                    }
                    entry = block.entries()[cp & 0xFF];
                    multi = block.multi();
                } else {
                    entry = table.entryBeyondTable(cp);
                }
                int kind = entry & CharTable.KIND_MASK;
                int end = i + width;
                if (kind == CharTable.WORD) {
                    wordChar(entry >>> CharTable.KIND_BITS, i, end);
                } else if (kind != CharTable.REMOVED) {
                    if (kind == CharTable.COMPLEX) {
                        return false;
                    }
                    if (kind == CharTable.MULTI) {
                        int at = entry >>> CharTable.KIND_BITS;
                        int count = multi[at];
                        for (int k = 1; k <= count; k++) {
                            int piece = multi[at + k];
                            if (!apply(piece & CharTable.KIND_MASK, piece >>> CharTable.KIND_BITS, i, end)) {
                                return true;
                            }
                        }
                    } else if (!apply(kind, entry >>> CharTable.KIND_BITS, i, end)) {
                        return true;
                    }
                }
                i = end;
            }
            endWord();
            return true;
        }

        /** One normalized character of kind WORD, SPACE, PUNCT or ISOLATED; false once the limit is reached. */
        private boolean apply(int kind, int c, int start, int end) {
            if (kind == CharTable.WORD) {
                wordChar(c, start, end);
                return true;
            }
            endWord();
            if (out.size() >= limit) {
                return false;
            }
            if (kind == CharTable.PUNCT || kind == CharTable.ISOLATED) {
                wordChar(c, start, end);
                endWord();
                return out.size() < limit;
            }
            return true; // SPACE
        }

        /** Feeds one normalized code point, from original span {@code [start, end)}, to the current word. */
        private void wordChar(int c, int start, int end) {
            if (!inWord) {
                inWord = true;
                unknown = false;
                node = FastWordPiece.ROOT;
                length = 0;
                codePoints = 0;
                tokenStart = 0;
                firstToken = out.size();
                wordStart = start;
            }
            wordEnd = end;
            if (unknown) {
                return;
            }
            if (++codePoints > maxChars) {
                fail();
                return;
            }
            if (c <= 0xFFFF) {
                step((char) c, start, end);
            } else {
                step(Character.highSurrogate(c), start, end);
                if (!unknown) {
                    step(Character.lowSurrogate(c), start, end);
                }
            }
        }

        /** One LinMaxMatch transition on {@code unit}, emitting failure pops until an edge exists. */
        private void step(char unit, int start, int end) {
            if (length == spanStarts.length) {
                spanStarts = java.util.Arrays.copyOf(spanStarts, 2 * length);
                spanEnds = java.util.Arrays.copyOf(spanEnds, 2 * length);
            }
            spanStarts[length] = start;
            spanEnds[length] = end;
            int child;
            while ((child = trie.child(node, unit)) == FastWordPiece.NONE) {
                int next = trie.nodes[4 * node + FastWordPiece.FAILURE];
                if (next == FastWordPiece.NONE) {
                    fail();
                    return;
                }
                pop(node);
                node = next;
            }
            node = child;
            length++;
        }

        /** Emits F(node): tokens covering the next units of the word. */
        private void pop(int v) {
            int[] pops = trie.pops;
            int[] nodes = trie.nodes;
            for (int k = nodes[4 * v + FastWordPiece.POPS], e = nodes[4 * v + 4 + FastWordPiece.POPS]; k < e; k += 2) {
                int len = pops[k + 1];
                out.add(pops[k], spanStarts[tokenStart], spanEnds[tokenStart + len - 1], word);
                tokenStart += len;
            }
        }

        /** The current word has a piece no vocabulary entry matches, or is too long: it is one [UNK]. */
        private void fail() {
            unknown = true;
            out.truncate(firstToken);
        }

        private void endWord() {
            if (!inWord) {
                return;
            }
            inWord = false;
            if (!unknown) {
                while (node != trie.suffixRoot) {
                    int next = trie.nodes[4 * node + FastWordPiece.FAILURE];
                    if (next == FastWordPiece.NONE) {
                        fail();
                        break;
                    }
                    pop(node);
                    node = next;
                }
            }
            if (unknown) {
                out.add(unkId, wordStart, wordEnd, word);
            }
            word++;
        }
    }
}
