package org.bert4j.heads;

/** What one head says about one text: a {@link ClassPrediction} or an {@link EntitiesPrediction}. */
public sealed interface Prediction permits ClassPrediction, EntitiesPrediction {
}
