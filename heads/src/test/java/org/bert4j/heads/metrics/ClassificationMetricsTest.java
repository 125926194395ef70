package org.bert4j.heads.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassificationMetricsTest {

    @Test
    void matchesScikitLearnsMacroF1Example() {
        // sklearn.metrics.f1_score docs: y_true=[0,1,2,0,1,2], y_pred=[0,2,1,0,0,1], average='macro' → 0.2666...
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 2, 1, 0, 0, 1},
                List.of("a", "b", "c"));
        assertEquals(0.8 / 3, m.macroF1(), 1e-12);
        assertEquals(2.0 / 6, m.accuracy(), 1e-12);
        assertEquals(0.8, m.perClass().get("a").f1(), 1e-12);
        assertEquals(2, m.perClass().get("a").support());
    }

    @Test
    void weightedF1MatchesScikitLearnsExample() {
        // The same docs example with average='weighted' → 0.2666... (equal supports: the macro value). An unequal
        // mix: big p=2/3 r=1 f1=0.8, support 2; small f1=0, support 1 → (0.8·2 + 0·1)/3.
        ClassificationMetrics docs = ClassificationMetrics.of(new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 2, 1, 0, 0, 1},
                List.of("a", "b", "c"));
        assertEquals(0.8 / 3, docs.weightedF1(), 1e-12);
        ClassificationMetrics unequal = ClassificationMetrics.of(new int[] {0, 0, 1}, new int[] {0, 0, 0},
                List.of("big", "small"));
        assertEquals(1.6 / 3, unequal.weightedF1(), 1e-12);
    }

    @Test
    void classesAbsentFromGoldAndPredictionsDoNotDiluteMacroF1() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 1}, new int[] {0, 0, 1},
                List.of("a", "b", "never"));
        assertEquals(1.0, m.macroF1(), 1e-12);
        assertEquals(2, m.perClass().size());
    }

    @Test
    void aMajorityGuessScoresItsShareInAccuracyButLittleMacroF1() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 0, 1}, new int[] {0, 0, 0, 0},
                List.of("big", "small"));
        assertEquals(0.75, m.accuracy(), 1e-12);
        // big: p=0.75 r=1 f1=6/7; small: 0 → macro 3/7
        assertEquals(3.0 / 7, m.macroF1(), 1e-12);
    }
}
