package org.bert4j.heads;

import java.util.Locale;

/** What a head predicts: one class per text, or one tag per token (named as saved in {@code heads.json}). */
public enum HeadKind {
    CLASSIFICATION("classification"), TOKEN_CLASSIFICATION("token_classification");

    private final String id;

    HeadKind(String id) {
        this.id = id;
    }

    /** The name used in saved files. */
    public String id() {
        return id;
    }

    /** Parses a saved name ({@code classification}, {@code token_classification}; {@code ner} is accepted). */
    public static HeadKind parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "classification", "sequence_classification" -> CLASSIFICATION;
            case "token_classification", "ner" -> TOKEN_CLASSIFICATION;
            default -> throw new IllegalArgumentException("unknown head kind '" + name
                    + "' (classification, token_classification)");
        };
    }
}
