package org.bert4j.heads.train;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.heads.Backbone;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.TokenClassificationHead;
import org.bert4j.heads.Tokens;
import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.ner.TokenLabels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs the frozen backbone over examples once and keeps what each head needs: the pooled sentence vector and class
 * index for a classification head; each labelled token's vector and tag index for a token-classification head.
 * Texts shared by several requests (two heads trained on the same rows) go through the backbone once.
 */
public final class FeatureExtractor {

    /**
     * What to compute: a head and the examples it needs features for; for a token head, whether every sub-token
     * is labelled (Hugging Face's {@code label_all_tokens}) or only each word's first.
     */
    public record Request(Head head, List<Example> examples, boolean labelSubTokens) {

        /** A request labelling only first sub-tokens. */
        public Request(Head head, List<Example> examples) {
            this(head, examples, false);
        }
    }

    private FeatureExtractor() {
    }

    /**
     * Features for every request, in request order. With {@code store} not null, requests already cached there are
     * read instead of computed, and computed ones are written. {@code progress} hears (texts done, texts total).
     */
    public static List<TaskFeatures> extract(Backbone backbone, List<Request> requests, int batchSize,
                                             FeatureStore store, BiConsumer<Integer, Integer> progress)
            throws IOException {
        List<TaskFeatures> results = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            Request request = requests.get(r);
            validate(request);
            TaskFeatures cached = store == null ? null : store.read(backbone, request);
            results.add(cached);
            if (cached == null) {
                pending.add(r);
            }
        }
        // One backbone pass per distinct text over all pending requests.
        Map<String, List<int[]>> users = new LinkedHashMap<>(); // text → (request, example) pairs
        for (int r : pending) {
            List<Example> examples = requests.get(r).examples();
            for (int e = 0; e < examples.size(); e++) {
                users.computeIfAbsent(examples.get(e).text(), k -> new ArrayList<>()).add(new int[] {r, e});
            }
        }
        float[][][] inputs = new float[requests.size()][][];
        int[][][] targets = new int[requests.size()][][];
        for (int r : pending) {
            inputs[r] = new float[requests.get(r).examples().size()][];
            targets[r] = new int[requests.get(r).examples().size()][];
        }
        List<String> texts = new ArrayList<>(users.keySet());
        progress.accept(0, texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<Tokens> batch = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + batchSize))) {
                batch.add(backbone.tokenize(text));
            }
            BertModelOutput output = backbone.forward(batch);
            for (int s = 0; s < batch.size(); s++) {
                for (int[] use : users.get(texts.get(from + s))) {
                    Request request = requests.get(use[0]);
                    Example example = request.examples().get(use[1]);
                    switch (request.head()) {
                        case ClassificationHead c -> {
                            inputs[use[0]][use[1]] = c.pool(output, s);
                            targets[use[0]][use[1]] = new int[] {c.labels().index(example.label())};
                        }
                        case TokenClassificationHead t -> {
                            int[] labels = tokenTargets(t, example, batch.get(s), request.labelSubTokens());
                            keepLabelled(output, s, labels, inputs[use[0]], targets[use[0]], use[1]);
                        }
                    }
                }
            }
            progress.accept(Math.min(texts.size(), from + batchSize), texts.size());
        }
        for (int r : pending) {
            TaskFeatures features = new TaskFeatures(backbone.hiddenSize(), inputs[r], targets[r]);
            results.set(r, features);
            if (store != null) {
                store.write(backbone, requests.get(r), features);
            }
        }
        return results;
    }

    /** The token targets of one example for a token-classification head ({@link TokenLabels#IGNORE} where skipped). */
    public static int[] tokenTargets(TokenClassificationHead head, Example example, Tokens tokens,
                                     boolean labelSubTokens) {
        return TokenLabels.of(example.entities(), tokens.offsetStarts(), tokens.offsetEnds(), tokens.wordIds(),
                head.scheme(), head.labels(), labelSubTokens);
    }

    private static void keepLabelled(BertModelOutput output, int sequence, int[] labels, float[][] inputs, int[][] targets,
                                     int example) {
        int hidden = output.hidden();
        int kept = 0;
        for (int label : labels) {
            if (label != TokenLabels.IGNORE) {
                kept++;
            }
        }
        float[] rows = new float[kept * hidden];
        int[] rowTargets = new int[kept];
        int first = output.sequenceStarts()[sequence];
        int at = 0;
        for (int t = 0; t < labels.length; t++) {
            if (labels[t] != TokenLabels.IGNORE) {
                System.arraycopy(output.lastHidden(), (first + t) * hidden, rows, at * hidden, hidden);
                rowTargets[at++] = labels[t];
            }
        }
        inputs[example] = rows;
        targets[example] = rowTargets;
    }

    /** Checks every example can train the head: a known label, or entity types the head has tags for. */
    static void validate(Request request) {
        Head head = request.head();
        for (Example example : request.examples()) {
            String where = example.line() > 0 ? "line " + example.line() : "example '" + abbreviate(example.text()) + "'";
            switch (head) {
                case ClassificationHead c -> {
                    if (!example.hasLabel()) {
                        throw new IllegalArgumentException(where + ": no class label for head '" + c.name() + "'");
                    }
                    if (!c.labels().contains(example.label())) {
                        throw new IllegalArgumentException(where + ": label '" + example.label()
                                + "' is not one of head '" + c.name() + "''s labels " + c.labels());
                    }
                }
                case TokenClassificationHead t -> {
                    if (!example.hasEntities()) {
                        throw new IllegalArgumentException(where + ": no entity annotations for head '" + t.name() + "'");
                    }
                    for (EntitySpan span : example.entities()) {
                        String tag = t.scheme().tag(span.label(), true);
                        if (!t.labels().contains(tag)) {
                            throw new IllegalArgumentException(where + ": entity type '" + span.label()
                                    + "' has no tag '" + tag + "' in head '" + t.name() + "' " + t.labels());
                        }
                    }
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
