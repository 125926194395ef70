package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.HeadKind;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.Tokens;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The task heads over HTTP: {@code POST /predict} for a classification head, in TEI's request and response shapes,
 * and {@code POST /ner} for a token-classification head, in the shape of Hugging Face's token-classification
 * pipeline ({@code entity_group, score, word, start, end}). Both run {@code MultiTaskModel} on the served model,
 * through the shared queue.
 */
final class HeadRoutes {

    private final ServedModel served;
    private final RequestRules rules;

    HeadRoutes(ServedModel served, RequestRules rules) {
        this.served = served;
        this.rules = rules;
    }

    List<Route> routes() {
        return List.of(Route.post("/predict", Route.Access.INFERENCE, this::predict),
                Route.post("/ner", Route.Access.INFERENCE, this::ner));
    }

    /**
     * TEI's {@code inputs}: a string, or {@code [string]}, is one input; {@code [[string], ...]} is a batch. TEI
     * reads {@code [a, b]} as one pair of texts, which a classification head trained on single texts cannot take:
     * refused, rather than read as two inputs. Scores are the softmax probabilities, or the logits with
     * {@code raw_scores}, every label sorted by score.
     */
    private Response predict(Request request) throws Exception {
        MultiTaskModel heads = requireHeads("a classifier");
        JsonBody body = request.json();
        String task = task(body, heads, HeadKind.CLASSIFICATION);
        JsonBody.Texts texts = predictInputs(body.get("inputs"));
        if (!texts.single()) {
            rules.checkBatch(texts.texts(), "inputs");
        }
        boolean truncate = rules.truncate(body);
        boolean raw = body.bool("raw_scores", false);
        served.headInputs().encode(texts.texts(), truncate, "", "inputs");
        List<List<Score>> answers = new ArrayList<>();
        if (raw) {
            ClassificationHead head = (ClassificationHead) heads.head(task);
            List<Tokens> tokens = texts.texts().stream().map(heads.backbone()::tokenize).toList();
            BertModelOutput out = heads.backbone().forward(tokens);
            for (int s = 0; s < tokens.size(); s++) {
                double[] logits = head.logits(head.pool(out, s), 1);
                List<Score> scores = new ArrayList<>();
                for (int c = 0; c < logits.length; c++) {
                    scores.add(new Score(head.labels().label(c), logits[c]));
                }
                answers.add(sorted(scores));
            }
        } else {
            for (ClassPrediction p : heads.classify(texts.texts(), task)) {
                List<Score> scores = new ArrayList<>();
                for (Map.Entry<String, Double> e : p.probabilities().entrySet()) {
                    scores.add(new Score(e.getKey(), e.getValue()));
                }
                answers.add(sorted(scores));
            }
        }
        return Response.json(json -> {
            if (!texts.single()) {
                json.beginArray();
            }
            for (List<Score> scores : answers) {
                json.beginArray();
                for (Score s : scores) {
                    json.beginObject().name("score").value((float) s.score()).name("label").value(s.label()).endObject();
                }
                json.endArray();
            }
            if (!texts.single()) {
                json.endArray();
            }
        });
    }

    private record Score(String label, double score) {
    }

    private static List<Score> sorted(List<Score> scores) {
        return scores.stream().sorted(Comparator.comparingDouble(Score::score).reversed()).toList();
    }

    /**
     * {@code inputs} (a string or strings), {@code aggregation_strategy} (none, simple, first, average, max; the
     * head's own by default), {@code task}, {@code truncate}. Offsets count characters (code points), as Python
     * indexes the string; {@code word} is the text the entity covers.
     */
    private Response ner(Request request) throws Exception {
        MultiTaskModel heads = requireHeads("a token-classification");
        JsonBody body = request.json();
        String task = task(body, heads, HeadKind.TOKEN_CLASSIFICATION);
        JsonBody.Texts texts = body.texts("inputs");
        rules.checkBatch(texts.texts(), "inputs");
        boolean truncate = rules.truncate(body);
        String strategyName = body.optionalString("aggregation_strategy");
        AggregationStrategy strategy;
        try {
            strategy = strategyName == null ? null : AggregationStrategy.parse(strategyName);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("`aggregation_strategy`: " + e.getMessage());
        }
        served.headInputs().encode(texts.texts(), truncate, "", "inputs");
        List<List<Entity>> entities = heads.entities(texts.texts(), task, strategy);
        boolean grouped = (strategy == null
                ? ((org.bert4j.heads.TokenClassificationHead) heads.head(task)).aggregation()
                : strategy) != AggregationStrategy.NONE;
        return Response.json(json -> {
            if (!texts.single()) {
                json.beginArray();
            }
            for (int i = 0; i < entities.size(); i++) {
                String text = texts.texts().get(i);
                json.beginArray();
                for (Entity e : entities.get(i)) {
                    json.beginObject().name(grouped ? "entity_group" : "entity").value(e.label())
                            .name("score").value((float) e.score()).name("word").value(e.text())
                            .name("start").value(text.codePointCount(0, e.start()))
                            .name("end").value(text.codePointCount(0, e.end())).endObject();
                }
                json.endArray();
            }
            if (!texts.single()) {
                json.endArray();
            }
        });
    }

    private MultiTaskModel requireHeads(String kind) {
        MultiTaskModel heads = served.heads();
        if (heads == null) {
            // TEI's answer to a route the model cannot serve ("Model is not a classifier model"): 424 backend.
            throw ApiError.backend("Model is not " + kind + " model: start the server with --heads DIR (heads "
                    + "trained with 'bert4j train')");
        }
        return heads;
    }

    /** The head {@code task} names, or the only head of {@code kind}. */
    private static String task(JsonBody body, MultiTaskModel heads, HeadKind kind) {
        List<String> candidates = heads.heads().values().stream().filter(h -> h.kind() == kind).map(Head::name).toList();
        String task = body.optionalString("task");
        if (task != null) {
            Head head = heads.heads().get(task);
            if (head == null || head.kind() != kind) {
                throw ApiError.badRequest("`task`: no " + kind.id() + " head named '" + task + "' (" + kind.id()
                        + " heads: " + candidates + ")");
            }
            return task;
        }
        if (candidates.isEmpty()) {
            throw ApiError.backend("the heads served have no " + kind.id() + " head (heads: " + heads.heads().keySet() + ")");
        }
        if (candidates.size() > 1) {
            throw ApiError.badRequest("several " + kind.id() + " heads are served; name one with `task` " + candidates);
        }
        return candidates.getFirst();
    }

    /** TEI's PredictInput: a string; [string] (one input); [[string], ...] (a batch). */
    private static JsonBody.Texts predictInputs(JsonElement inputs) {
        if (inputs == null) {
            throw ApiError.badRequest("`inputs` is required (a string, or a batch [[string], ...])");
        }
        if (inputs instanceof JsonPrimitive p && p.isString()) {
            return new JsonBody.Texts(List.of(p.getAsString()), true);
        }
        if (!inputs.isJsonArray()) {
            throw ApiError.badRequest("`inputs` must be a string, or a batch [[string], ...], got " + JsonBody.kind(inputs));
        }
        JsonArray array = inputs.getAsJsonArray();
        if (array.isEmpty()) {
            throw ApiError.empty("`inputs` cannot be empty");
        }
        if (!array.get(0).isJsonArray()) {
            List<String> one = JsonBody.strings(array, "inputs");
            if (one.size() == 1) {
                return new JsonBody.Texts(one, true);
            }
            throw ApiError.badRequest(one.size() == 2
                    ? "`inputs` [string, string] is a pair of texts in TEI's API, which these classification heads "
                    + "cannot read; send a batch as [[\"...\"], [\"...\"]]"
                    : "`inputs` must be a string, [string], or a batch [[string], ...]; got an array of "
                    + one.size() + " strings");
        }
        List<String> batch = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            String field = "inputs[" + i + "]";
            if (!item.isJsonArray()) {
                throw ApiError.badRequest("`" + field + "` must be [string], got " + JsonBody.kind(item));
            }
            List<String> texts = JsonBody.strings(item.getAsJsonArray(), field);
            if (texts.size() != 1) {
                throw ApiError.badRequest("`" + field + "` must hold one text" + (texts.size() == 2
                        ? " (pairs of texts are not supported by classification heads)" : "") + ", got " + texts.size());
            }
            batch.add(texts.getFirst());
        }
        return new JsonBody.Texts(batch, false);
    }
}
