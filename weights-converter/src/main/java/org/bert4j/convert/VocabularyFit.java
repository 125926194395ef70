package org.bert4j.convert;

import java.util.function.Consumer;

/**
 * Whether a tokenizer and the word-embedding matrix it indexes belong together, judged as Hugging Face judges it:
 * not at all when loading. transformers loads a vocab.txt of 405 tokens beside an embedding matrix of 402 rows (a
 * tokenizer that grew, a model trimmed or never resized), and only a text that produces one of the missing ids fails,
 * inside the embedding lookup. So the conversion goes ahead and says what it saw; the engine refuses such an id,
 * naming the sequence and token, when a text actually produces one.
 */
final class VocabularyFit {

    private VocabularyFit() {}

    /** Warns when {@code tokenizerSize} tokens (0: unknown) and {@code rows} embedding rows differ. */
    static void check(String tokenizer, int tokenizerSize, int rows, Consumer<String> warnings) {
        if (tokenizerSize <= 0 || tokenizerSize == rows) {
            return;
        }
        if (tokenizerSize > rows) {
            warnings.accept(tokenizer + " has " + tokenizerSize + " tokens but the word embeddings have " + rows
                    + " rows: ids " + rows + (tokenizerSize - rows > 1 ? ".." + (tokenizerSize - 1) : "")
                    + " have no embedding, and a text that produces one will be refused when it is embedded "
                    + "(Hugging Face loads this model the same way)");
        } else {
            warnings.accept(tokenizer + " has " + tokenizerSize + " tokens but the word embeddings have " + rows
                    + " rows: the last " + (rows - tokenizerSize) + " rows belong to no token and are never used");
        }
    }
}
