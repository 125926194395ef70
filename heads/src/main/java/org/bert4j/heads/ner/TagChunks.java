package org.bert4j.heads.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads entity chunks out of a tag sequence the way seqeval's default (non-strict) mode does, so the metrics
 * here equal seqeval's: BIO, IOB1, IO and BIOES tags are all understood; an {@code I-} after {@code O} or
 * after another type starts a new chunk; a change of type ends one.
 *
 * <p>A tag without a prefix ({@code PER}) is read as {@code I-PER}, as Hugging Face's pipeline does for IO tags.
 */
public final class TagChunks {

    /** One entity chunk: its type and the token range {@code [start, end)}. */
    public record Chunk(String type, int start, int end) {
    }

    private TagChunks() {
    }

    /** The chunks of {@code tags}, in order. */
    public static List<Chunk> chunks(List<String> tags) {
        List<Chunk> chunks = new ArrayList<>();
        char prevPrefix = 'O';
        String prevType = "";
        int begin = 0;
        for (int i = 0; i <= tags.size(); i++) {
            String tag = i < tags.size() ? tags.get(i) : "O";
            char prefix = prefix(tag);
            String type = prefix == 'O' ? "" : type(tag);
            if (endOfChunk(prevPrefix, prefix, prevType, type)) {
                chunks.add(new Chunk(prevType, begin, i));
            }
            if (startOfChunk(prevPrefix, prefix, prevType, type)) {
                begin = i;
            }
            prevPrefix = prefix;
            prevType = type;
        }
        return chunks;
    }

    /** The B/I/E/S/O prefix of a tag ({@code I} for a bare label). */
    public static char prefix(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("an empty tag");
        }
        if (tag.equals("O")) {
            return 'O';
        }
        if (tag.length() > 2 && tag.charAt(1) == '-' && "BIES".indexOf(tag.charAt(0)) >= 0) {
            return tag.charAt(0);
        }
        return 'I';
    }

    /** The entity type of a tag: what follows the prefix, or the whole bare label; "" for {@code O}. */
    public static String type(String tag) {
        if (tag.equals("O")) {
            return "";
        }
        if (tag.length() > 2 && tag.charAt(1) == '-' && "BIES".indexOf(tag.charAt(0)) >= 0) {
            return tag.substring(2);
        }
        return tag;
    }

    // seqeval.metrics.sequence_labeling.end_of_chunk
    private static boolean endOfChunk(char prev, char tag, String prevType, String type) {
        if (prev == 'E' || prev == 'S') {
            return true;
        }
        if ((prev == 'B' || prev == 'I') && (tag == 'B' || tag == 'S' || tag == 'O')) {
            return true;
        }
        return prev != 'O' && !prevType.equals(type);
    }

    // seqeval.metrics.sequence_labeling.start_of_chunk
    private static boolean startOfChunk(char prev, char tag, String prevType, String type) {
        if (tag == 'B' || tag == 'S') {
            return true;
        }
        if ((prev == 'E' || prev == 'S' || prev == 'O') && (tag == 'E' || tag == 'I')) {
            return true;
        }
        return tag != 'O' && !prevType.equals(type);
    }
}
