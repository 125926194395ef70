package org.bert4j.heads.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.bert4j.heads.metrics.ClassificationMetrics;
import org.bert4j.heads.metrics.EntityMetrics;

import java.util.List;
import java.util.Map;

/**
 * A training run's record: the options, every epoch's losses and dev metrics, the best epoch and score, whether it
 * stopped early and whether the best weights were restored. {@link #toJson()} writes it for a metrics file.
 */
public record TrainingReport(TrainingOptions options, List<EpochReport> epochs, int bestEpoch, double bestScore,
                             boolean stoppedEarly, boolean restoredBest) {
    public TrainingReport {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch's report. */
    public EpochReport lastEpoch() {
        return epochs.getLast();
    }

    /** The best epoch's report. */
    public EpochReport best() {
        return epochs.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(lastEpoch());
    }

    /** The whole report as pretty-printed JSON. */
    public String toJson() {
        JsonObject root = new JsonObject();
        JsonObject o = new JsonObject();
        o.addProperty("epochs", options.epochs());
        o.addProperty("learning_rate", options.learningRate());
        o.addProperty("batch_size", options.batchSize());
        o.addProperty("seed", options.seed());
        o.addProperty("warmup_ratio", options.warmupRatio());
        o.addProperty("weight_decay", options.weightDecay());
        o.addProperty("max_grad_norm", options.maxGradNorm());
        o.addProperty("freeze_backbone", options.freezeBackbone());
        JsonArray frozen = new JsonArray();
        options.frozenHeads().stream().sorted().forEach(frozen::add);
        o.add("frozen_heads", frozen);
        o.addProperty("sampling", options.sampling().name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("temperature", options.temperature());
        o.addProperty("class_weighting", options.classWeighting().name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("patience", options.patience());
        o.addProperty("classification_metric", options.classificationMetric());
        o.addProperty("label_sub_tokens", options.labelSubTokens());
        root.add("options", o);
        JsonArray epochArray = new JsonArray();
        for (EpochReport epoch : epochs) {
            JsonObject e = new JsonObject();
            e.addProperty("epoch", epoch.epoch());
            JsonObject loss = new JsonObject();
            // A task with no batch this epoch has a NaN loss (and a diverged run may reach infinity): JSON has
            // neither, so the file says null, which every strict parser reads.
            epoch.trainLoss().forEach((task, value) -> loss.add(task,
                    Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE));
            e.add("train_loss", loss);
            JsonObject dev = new JsonObject();
            for (TaskMetrics metrics : epoch.dev()) {
                dev.add(metrics.task(), metricsJson(metrics));
            }
            e.add("dev", dev);
            if (!Double.isNaN(epoch.score())) {
                e.addProperty("score", epoch.score());
            }
            e.addProperty("improved", epoch.improved());
            e.addProperty("seconds", epoch.seconds());
            epochArray.add(e);
        }
        root.add("epochs", epochArray);
        root.addProperty("best_epoch", bestEpoch);
        if (!Double.isNaN(bestScore)) {
            root.addProperty("best_score", bestScore);
        }
        root.addProperty("stopped_early", stoppedEarly);
        root.addProperty("restored_best", restoredBest);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(root) + "\n";
    }

    static JsonObject metricsJson(TaskMetrics metrics) {
        JsonObject m = new JsonObject();
        if (metrics.classification() != null) {
            ClassificationMetrics c = metrics.classification();
            m.addProperty("accuracy", c.accuracy());
            m.addProperty("macro_f1", c.macroF1());
            m.addProperty("count", c.count());
            JsonObject per = new JsonObject();
            for (Map.Entry<String, ClassificationMetrics.PerClass> entry : c.perClass().entrySet()) {
                JsonObject p = new JsonObject();
                p.addProperty("precision", entry.getValue().precision());
                p.addProperty("recall", entry.getValue().recall());
                p.addProperty("f1", entry.getValue().f1());
                p.addProperty("support", entry.getValue().support());
                per.add(entry.getKey(), p);
            }
            m.add("per_class", per);
        }
        if (metrics.entities() != null) {
            EntityMetrics en = metrics.entities();
            m.addProperty("precision", en.precision());
            m.addProperty("recall", en.recall());
            m.addProperty("f1", en.f1());
            m.addProperty("gold_entities", en.goldEntities());
            m.addProperty("predicted_entities", en.predictedEntities());
            JsonObject per = new JsonObject();
            for (Map.Entry<String, EntityMetrics.Score> entry : en.perType().entrySet()) {
                JsonObject p = new JsonObject();
                p.addProperty("precision", entry.getValue().precision());
                p.addProperty("recall", entry.getValue().recall());
                p.addProperty("f1", entry.getValue().f1());
                p.addProperty("support", entry.getValue().support());
                per.add(entry.getKey(), p);
            }
            m.add("per_type", per);
        }
        return m;
    }
}
