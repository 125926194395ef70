package org.bert4j.heads.ner;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * How entity types become token tags: BIO ({@code B-} on an entity's first word, {@code I-} on the rest) or
 * IO (every word of an entity {@code I-}; simpler, but two adjacent entities of one type merge).
 */
public enum TagScheme {
    BIO, IO;

    /** The tag of a word that begins ({@code first}) or continues an entity of {@code type}. */
    public String tag(String type, boolean first) {
        return (this == BIO && first ? "B-" : "I-") + type;
    }

    /** The label list for these entity types: {@code O} first, then each type's tags, types in sorted order. */
    public List<String> labels(SortedSet<String> types) {
        List<String> labels = new ArrayList<>();
        labels.add("O");
        for (String type : types) {
            if (this == BIO) {
                labels.add("B-" + type);
            }
            labels.add("I-" + type);
        }
        return labels;
    }

    /** Parses {@code bio} or {@code io}, case-insensitively. */
    public static TagScheme parse(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "bio", "iob", "iob2" -> BIO;
            case "io" -> IO;
            default -> throw new IllegalArgumentException("unknown tag scheme '" + name + "' (bio, io)");
        };
    }
}
