package org.bert4j.heads.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Accuracy and macro-F1 of class predictions, as scikit-learn computes them: macro-F1 averages the per-class
 * F1 over every class that occurs in the gold labels or the predictions, a class with no true positives
 * scoring 0 ({@code zero_division=0}).
 */
public record ClassificationMetrics(int count, double accuracy, double macroF1, Map<String, PerClass> perClass) {

    /** One class's precision, recall, F1 and support (its count in the gold labels). */
    public record PerClass(double precision, double recall, double f1, int support) {
    }

    /** Compares gold and predicted label indices; {@code labels} names them. */
    public static ClassificationMetrics of(int[] gold, int[] predicted, List<String> labels) {
        if (gold.length != predicted.length) {
            throw new IllegalArgumentException(gold.length + " gold labels but " + predicted.length + " predictions");
        }
        int n = gold.length;
        int k = labels.size();
        int[] truePositive = new int[k];
        int[] goldCount = new int[k];
        int[] predictedCount = new int[k];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            goldCount[gold[i]]++;
            predictedCount[predicted[i]]++;
            if (gold[i] == predicted[i]) {
                truePositive[gold[i]]++;
                correct++;
            }
        }
        TreeSet<Integer> present = new TreeSet<>();
        for (int c = 0; c < k; c++) {
            if (goldCount[c] > 0 || predictedCount[c] > 0) {
                present.add(c);
            }
        }
        Map<String, PerClass> perClass = new LinkedHashMap<>();
        double f1Sum = 0;
        for (int c : present) {
            double precision = ratio(truePositive[c], predictedCount[c]);
            double recall = ratio(truePositive[c], goldCount[c]);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.put(labels.get(c), new PerClass(precision, recall, f1, goldCount[c]));
            f1Sum += f1;
        }
        double macroF1 = present.isEmpty() ? 0 : f1Sum / present.size();
        return new ClassificationMetrics(n, n == 0 ? 0 : (double) correct / n, macroF1, perClass);
    }

    /**
     * F1 averaged over the classes with each class weighed by its support, as scikit-learn's {@code average='weighted'}:
     * unlike macro-F1 it follows the data's class mix, so a rare class that is always missed costs little.
     */
    public double weightedF1() {
        double sum = 0;
        int support = 0;
        for (PerClass c : perClass.values()) {
            sum += c.f1() * c.support();
            support += c.support();
        }
        return support == 0 ? 0 : sum / support;
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
