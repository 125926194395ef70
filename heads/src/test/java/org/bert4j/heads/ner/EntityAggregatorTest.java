package org.bert4j.heads.ner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cases worked by hand through Hugging Face's TokenClassificationPipeline.aggregate / group_entities. */
class EntityAggregatorTest {

    private static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG");
    // "Enzo at UN" as [CLS] en ##zo at un [SEP]
    private static final String TEXT = "Enzo at UN";
    private static final int[] STARTS = {0, 0, 2, 5, 8, 0};
    private static final int[] ENDS = {0, 2, 4, 7, 10, 0};
    private static final int[] WORDS = {-1, 0, 0, 1, 2, -1};
    private static final double[][] PROBS = {
            {1, 0, 0, 0, 0},            // [CLS], skipped whatever it says
            {0.3, 0.7, 0, 0, 0},        // en: B-PER
            {0.05, 0, 0.05, 0.9, 0},    // ##zo: B-ORG, the sub-word disagrees with its word
            {0.99, 0.01, 0, 0, 0},      // at: O
            {0.2, 0, 0, 0.8, 0},        // un: B-ORG
            {1, 0, 0, 0, 0}};           // [SEP]

    private static List<Entity> run(AggregationStrategy strategy) {
        return EntityAggregator.aggregate(TEXT, PROBS, LABELS, STARTS, ENDS, WORDS, strategy);
    }

    @Test
    void simpleDecidesPerTokenSoASubWordCanStandAlone() {
        assertEquals(List.of(new Entity("PER", 0, 2, "En", 0.7), new Entity("ORG", 2, 4, "zo", 0.9),
                new Entity("ORG", 8, 10, "UN", 0.8)), run(AggregationStrategy.SIMPLE));
    }

    @Test
    void firstTakesTheFirstSubTokensTag() {
        assertEquals(List.of(new Entity("PER", 0, 4, "Enzo", 0.7), new Entity("ORG", 8, 10, "UN", 0.8)),
                run(AggregationStrategy.FIRST));
    }

    @Test
    void maxTakesTheMostConfidentSubToken() {
        assertEquals(List.of(new Entity("ORG", 0, 4, "Enzo", 0.9), new Entity("ORG", 8, 10, "UN", 0.8)),
                run(AggregationStrategy.MAX));
    }

    @Test
    void averageTakesTheArgMaxOfTheMeanProbabilities() {
        List<Entity> entities = run(AggregationStrategy.AVERAGE);
        assertEquals(2, entities.size());
        assertEquals("ORG", entities.get(0).label());
        assertEquals("Enzo", entities.get(0).text());
        assertEquals(0.45, entities.get(0).score(), 1e-12);
    }

    @Test
    void noneListsEveryNonOutsideTokenWithItsTag() {
        assertEquals(List.of(new Entity("B-PER", 0, 2, "En", 0.7), new Entity("B-ORG", 2, 4, "zo", 0.9),
                new Entity("B-ORG", 8, 10, "UN", 0.8)), run(AggregationStrategy.NONE));
    }

    @Test
    void groupingFollowsBeginAndTypeChanges() {
        // "New York Times Ann Bob Cy Dee": B-ORG I-ORG I-ORG | B-PER | B-PER | I-PER after O-less type change
        String text = "New York Times Ann Bob Cy";
        List<String> tags = List.of("B-ORG", "I-ORG", "I-ORG", "B-PER", "B-PER", "I-ORG");
        int[] starts = {0, 4, 9, 15, 19, 23};
        int[] ends = {3, 8, 14, 18, 22, 25};
        List<Entity> entities = EntityAggregator.aggregate(text, oneHot(tags, 0.5), LABELS, starts, ends,
                new int[] {0, 1, 2, 3, 4, 5}, AggregationStrategy.SIMPLE);
        assertEquals(List.of(new Entity("ORG", 0, 14, "New York Times", 0.5), new Entity("PER", 15, 18, "Ann", 0.5),
                new Entity("PER", 19, 22, "Bob", 0.5), new Entity("ORG", 23, 25, "Cy", 0.5)), entities);
    }

    @Test
    void ioTagsWithoutPrefixesGroupByType() {
        List<String> io = List.of("O", "PER", "LOC");
        String text = "at Ann Bob Rome";
        List<Entity> entities = EntityAggregator.aggregate(text, new double[][] {
                        {1, 0, 0}, {0, 1, 0}, {0, 0.6, 0.4}, {0, 0, 1}}, io,
                new int[] {0, 3, 7, 11}, new int[] {2, 6, 10, 15}, new int[] {0, 1, 2, 3}, AggregationStrategy.FIRST);
        assertEquals(List.of(new Entity("PER", 3, 10, "Ann Bob", 0.8), new Entity("LOC", 11, 15, "Rome", 1.0)),
                entities);
    }

    private static double[][] oneHot(List<String> tags, double p) {
        double[][] probs = new double[tags.size()][LABELS.size()];
        for (int t = 0; t < tags.size(); t++) {
            probs[t][LABELS.indexOf(tags.get(t))] = p;
            probs[t][0] = tags.get(t).equals("O") ? p : (1 - p) * 0.99;
        }
        return probs;
    }
}
