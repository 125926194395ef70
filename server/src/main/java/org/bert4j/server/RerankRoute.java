package org.bert4j.server;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code POST /rerank} as TEI documents it: {@code query}, {@code texts}, {@code truncate}, {@code raw_scores},
 * {@code return_text} → {@code [{index, text?, score}]}, best first. Without a {@link Reranker} it answers TEI's
 * error for a model that is not a re-ranker: 424, {@code backend}.
 */
final class RerankRoute {

    private final ServedModel served;
    private final RequestRules rules;

    RerankRoute(ServedModel served, RequestRules rules) {
        this.served = served;
        this.rules = rules;
    }

    Route route() {
        return Route.post("/rerank", Route.Access.INFERENCE, this::rerank);
    }

    private Response rerank(Request request) {
        JsonBody body = request.json();
        String query = body.string("query");
        List<String> texts = body.strings("texts");
        // TEI's order of checks: an empty list, then the model type, then the batch size.
        if (texts.isEmpty()) {
            throw ApiError.empty("`texts` cannot be empty");
        }
        Reranker reranker = served.reranker();
        if (reranker == null) {
            throw ApiError.backend("model is not a re-ranker model");
        }
        rules.checkBatch(texts, "texts");
        boolean truncate = rules.truncate(body);
        boolean raw = body.bool("raw_scores", false);
        boolean returnText = body.bool("return_text", false);
        float[] scores = reranker.scores(query, texts, truncate, raw, request.deadlineNanos());
        if (scores.length != texts.size()) {
            throw new IllegalStateException("the re-ranker gave " + scores.length + " scores for " + texts.size() + " texts");
        }
        List<Integer> order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed()).toList();
        return Response.json(json -> {
            json.beginArray();
            for (int i : order) {
                json.beginObject().name("index").value(i);
                if (returnText) {
                    json.name("text").value(texts.get(i));
                }
                json.name("score").value(scores[i]).endObject();
            }
            json.endArray();
        });
    }
}
