package org.bert4j.heads.data;

import org.bert4j.heads.ner.TagChunks;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts pre-tokenised, tagged words (CoNLL, {@code tokens}/{@code tags} JSONL) to the text + character-span
 * form every other source has: the words are joined with one space and each tagged chunk becomes a span.
 * The BERT tokenizer then re-splits the text its own way and the spans carry the labels across.
 */
public final class TaggedTokens {

    private TaggedTokens() {
    }

    /** One example from words and their tags; mismatched lengths or an unreadable tag → error naming the line. */
    public static Example toExample(List<String> tokens, List<String> tags, String source, int line)
            throws DataFormatException {
        if (tokens.size() != tags.size()) {
            throw new DataFormatException(source, line, tokens.size() + " tokens but " + tags.size() + " tags");
        }
        if (tokens.isEmpty()) {
            throw new DataFormatException(source, line, "a sentence without tokens");
        }
        StringBuilder text = new StringBuilder();
        int[] starts = new int[tokens.size()];
        int[] ends = new int[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
                throw new DataFormatException(source, line, "token " + i + " is empty or holds a space: '" + token + "'");
            }
            if (i > 0) {
                text.append(' ');
            }
            starts[i] = text.length();
            text.append(token);
            ends[i] = text.length();
        }
        List<EntitySpan> spans = new ArrayList<>();
        try {
            for (TagChunks.Chunk chunk : TagChunks.chunks(tags)) {
                spans.add(new EntitySpan(starts[chunk.start()], ends[chunk.end() - 1], chunk.type()));
            }
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source, line, e.getMessage());
        }
        return new Example(text.toString(), null, spans, line);
    }
}
