package org.bert4j.heads.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds entity spans over the original text from per-token tag probabilities, following Hugging Face's
 * {@code TokenClassificationPipeline.postprocess}: gather the non-special tokens, decide a tag per token
 * (SIMPLE) or per word (FIRST / AVERAGE / MAX), group adjacent same-type tags, drop {@code O}.
 *
 * <p>One deliberate difference: a token continues a word when it carries the same word id as the token
 * before it. Hugging Face infers the same thing for WordPiece from {@code len(token) != len(text slice)}
 * (the {@code ##} prefix); the word id says it directly and survives accent stripping, which changes lengths.
 */
public final class EntityAggregator {

    private EntityAggregator() {
    }

    /**
     * The entities of one text.
     *
     * @param text          the original text the offsets index
     * @param probabilities per token, the probability of each label ({@code tokens × labels}, softmax rows)
     * @param labels        the tag names, index-aligned with the probability rows
     * @param offsetStarts  each token's first character
     * @param offsetEnds    each token's end character (exclusive)
     * @param wordIds       each token's word, -1 for special and padding tokens (which are skipped)
     */
    public static List<Entity> aggregate(String text, double[][] probabilities, List<String> labels,
                                         int[] offsetStarts, int[] offsetEnds, int[] wordIds,
                                         AggregationStrategy strategy) {
        List<Tagged> units = new ArrayList<>();
        List<Token> word = new ArrayList<>();
        int previousWord = Integer.MIN_VALUE;
        for (int t = 0; t < probabilities.length; t++) {
            if (wordIds[t] < 0) {
                continue;
            }
            Token token = new Token(probabilities[t], offsetStarts[t], offsetEnds[t]);
            if (!strategy.byWord()) {
                int best = argMax(token.scores);
                units.add(new Tagged(labels.get(best), token.scores[best], token.start, token.end));
            } else {
                if (wordIds[t] != previousWord && !word.isEmpty()) {
                    units.add(wordTag(word, labels, strategy));
                    word.clear();
                }
                word.add(token);
            }
            previousWord = wordIds[t];
        }
        if (!word.isEmpty()) {
            units.add(wordTag(word, labels, strategy));
        }
        if (strategy == AggregationStrategy.NONE) {
            List<Entity> entities = new ArrayList<>();
            for (Tagged unit : units) {
                if (!unit.tag.equals("O")) {
                    entities.add(new Entity(unit.tag, unit.start, unit.end, text.substring(unit.start, unit.end),
                            unit.score));
                }
            }
            return entities;
        }
        return group(text, units);
    }

    private record Token(double[] scores, int start, int end) {
    }

    private record Tagged(String tag, double score, int start, int end) {
    }

    // TokenClassificationPipeline.aggregate_word
    private static Tagged wordTag(List<Token> pieces, List<String> labels, AggregationStrategy strategy) {
        int start = pieces.getFirst().start;
        int end = pieces.getLast().end;
        switch (strategy) {
            case FIRST -> {
                double[] scores = pieces.getFirst().scores;
                int best = argMax(scores);
                return new Tagged(labels.get(best), scores[best], start, end);
            }
            case MAX -> {
                Token most = pieces.getFirst();
                for (Token piece : pieces) {
                    if (max(piece.scores) > max(most.scores)) { // strict: ties keep the first, as Python's max
                        most = piece;
                    }
                }
                int best = argMax(most.scores);
                return new Tagged(labels.get(best), most.scores[best], start, end);
            }
            case AVERAGE -> {
                double[] mean = new double[labels.size()];
                for (Token piece : pieces) {
                    for (int l = 0; l < mean.length; l++) {
                        mean[l] += piece.scores[l] / pieces.size();
                    }
                }
                int best = argMax(mean);
                return new Tagged(labels.get(best), mean[best], start, end);
            }
            default -> throw new IllegalStateException("not a word strategy: " + strategy);
        }
    }

    // TokenClassificationPipeline.group_entities + group_sub_entities, then the filter of ignore_labels=["O"]
    private static List<Entity> group(String text, List<Tagged> units) {
        List<Entity> entities = new ArrayList<>();
        List<Tagged> current = new ArrayList<>();
        for (Tagged unit : units) {
            if (!current.isEmpty()) {
                Tagged last = current.getLast();
                boolean continues = TagChunks.prefix(unit.tag) != 'B' && groupType(unit.tag).equals(groupType(last.tag));
                if (!continues) {
                    close(text, current, entities);
                    current.clear();
                }
            }
            current.add(unit);
        }
        close(text, current, entities);
        return entities;
    }

    private static void close(String text, List<Tagged> group, List<Entity> out) {
        if (group.isEmpty()) {
            return;
        }
        String type = groupType(group.getFirst().tag);
        if (type.equals("O")) {
            return;
        }
        double score = 0;
        for (Tagged unit : group) {
            score += unit.score;
        }
        int start = group.getFirst().start;
        int end = group.getLast().end;
        out.add(new Entity(type, start, end, text.substring(start, end), score / group.size()));
    }

    /** Hugging Face's get_tag: the type after a B-/I- prefix, else the whole tag (so "O" groups as "O"). */
    private static String groupType(String tag) {
        return tag.startsWith("B-") || tag.startsWith("I-") ? tag.substring(2) : tag;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double max(double[] values) {
        return values[argMax(values)];
    }
}
