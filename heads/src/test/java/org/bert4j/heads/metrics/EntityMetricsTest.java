package org.bert4j.heads.metrics;

import org.bert4j.heads.ner.TagChunks;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected values are seqeval's, worked by hand from its get_entities rules. */
class EntityMetricsTest {

    @Test
    void seqevalReadmeExample() {
        List<List<String>> gold = List.of(List.of("O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"),
                List.of("B-PER", "I-PER", "O"));
        List<List<String>> predicted = List.of(List.of("O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"),
                List.of("B-PER", "I-PER", "O"));
        EntityMetrics m = EntityMetrics.of(gold, predicted);
        assertEquals(0.5, m.precision(), 1e-12);
        assertEquals(0.5, m.recall(), 1e-12);
        assertEquals(0.5, m.f1(), 1e-12);
        assertEquals(0.0, m.perType().get("MISC").f1(), 1e-12);
        assertEquals(1.0, m.perType().get("PER").f1(), 1e-12);
    }

    @Test
    void unequalPrecisionAndRecall() {
        // gold: PER(0,1) LOC(3,3) ORG(5,6); predicted: PER(0,1) LOC(3,4) ORG(5,6) MISC(8,8)
        List<String> gold = List.of("B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG", "O", "O");
        List<String> predicted = List.of("B-PER", "I-PER", "O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "O", "B-MISC");
        EntityMetrics m = EntityMetrics.of(List.of(gold), List.of(predicted));
        assertEquals(2.0 / 4, m.precision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        assertEquals(2 * (0.5 * 2.0 / 3) / (0.5 + 2.0 / 3), m.f1(), 1e-12);
        assertEquals(3, m.goldEntities());
        assertEquals(4, m.predictedEntities());
    }

    @Test
    void chunksFollowSeqevalsLenientRules() {
        assertEquals(List.of(new TagChunks.Chunk("PER", 0, 2), new TagChunks.Chunk("LOC", 3, 4)),
                TagChunks.chunks(List.of("B-PER", "I-PER", "O", "B-LOC")));
        // IOB1: I- after O starts a chunk; a type change ends one.
        assertEquals(List.of(new TagChunks.Chunk("PER", 0, 2), new TagChunks.Chunk("LOC", 2, 3),
                        new TagChunks.Chunk("PER", 4, 5)),
                TagChunks.chunks(List.of("I-PER", "I-PER", "I-LOC", "O", "I-PER")));
        // B after I starts a new chunk of the same type.
        assertEquals(List.of(new TagChunks.Chunk("PER", 0, 1), new TagChunks.Chunk("PER", 1, 2)),
                TagChunks.chunks(List.of("I-PER", "B-PER")));
        // BIOES
        assertEquals(List.of(new TagChunks.Chunk("PER", 0, 2), new TagChunks.Chunk("LOC", 2, 3),
                        new TagChunks.Chunk("LOC", 3, 4)),
                TagChunks.chunks(List.of("B-PER", "E-PER", "S-LOC", "S-LOC")));
        // IO without prefixes: bare types read as I-.
        assertEquals(List.of(new TagChunks.Chunk("PER", 1, 3)), TagChunks.chunks(List.of("O", "PER", "PER")));
    }

    @Test
    void noEntitiesAnywhereScoresZeroNotNaN() {
        EntityMetrics m = EntityMetrics.of(List.of(List.of("O")), List.of(List.of("O")));
        assertEquals(0.0, m.f1());
    }
}
