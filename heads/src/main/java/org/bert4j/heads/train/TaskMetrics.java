package org.bert4j.heads.train;

import org.bert4j.heads.metrics.ClassificationMetrics;
import org.bert4j.heads.metrics.EntityMetrics;

/**
 * One task's dev scores: classification metrics or entity metrics (the other is null), and the single number
 * early stopping watches (macro-F1 or accuracy for classification, entity F1 for NER).
 */
public record TaskMetrics(String task, ClassificationMetrics classification, EntityMetrics entities, double score) {

    /** These metrics as JSON: accuracy, macro_f1 and per_class; or precision, recall, f1 and per_type. */
    public String toJson() {
        return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(TrainingReport.metricsJson(this)) + "\n";
    }
}
