package org.bert4j.heads;

import org.bert4j.heads.ner.Entity;

import java.util.List;

/** A token-classification head's answer: the entities found in the text, in text order. */
public record EntitiesPrediction(List<Entity> entities) implements Prediction {
    public EntitiesPrediction {
        entities = List.copyOf(entities);
    }
}
