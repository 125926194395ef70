package org.bert4j.heads.train;

import org.bert4j.heads.ClassificationFunction;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.training.LinearSchedule;
import org.bert4j.training.GradientClipping;
import org.bert4j.training.AdamW;
import org.bert4j.training.Parameter;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a model's heads on their tasks: mini-batches, softmax cross-entropy (class-weighted if asked), gradient
 * clipping, AdamW under a linear warm-up/decay schedule, tasks mixed by the chosen sampling, dev evaluation after
 * every epoch, early stopping, and the best epoch's weights kept. Every random choice comes from the seed, and all
 * arithmetic runs in a fixed order on one thread, so a seed and the same features give the same weights bit for
 * bit. The features are the same bits in every run too, cached or computed afresh: the model computes with kernels
 * chosen once at load, whose results do not depend on what the JIT has compiled.
 *
 * <p>With the backbone frozen the backbone's outputs are computed once ({@link FeatureExtractor}) and an epoch
 * costs only the heads. The steps only meet the backbone through {@link FeatureSource}, so a backbone that trains
 * its top layers can be added as another source.
 */
public final class Trainer {

    private Trainer() {
    }

    /** Trains {@code model}'s heads on {@code tasks} and returns what happened, epoch by epoch. */
    public static TrainingReport train(MultiTaskModel model, List<Task> tasks, TrainingOptions options,
                                       TrainingListener listener) throws IOException {
        if (!options.freezeBackbone()) {
            throw new IllegalArgumentException("Trainer trains heads on a frozen backbone (unfreezeLayers 0);"
                    + " FineTuner.train trains through the backbone");
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks to train");
        }
        List<Head> heads = new ArrayList<>();
        for (Task task : tasks) {
            Head head = model.head(task.head());
            if (heads.contains(head)) {
                throw new IllegalArgumentException("head '" + task.head() + "' has two tasks: merge their examples");
            }
            heads.add(head);
        }
        for (String frozen : options.frozenHeads()) {
            model.head(frozen); // an unknown name is an error, not a no-op
        }
        List<Integer> trained = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            if (!options.frozenHeads().contains(tasks.get(t).head())) {
                trained.add(t);
            }
        }
        if (trained.isEmpty()) {
            throw new IllegalArgumentException("every task's head is frozen: nothing to train");
        }
        for (int t : trained) {
            // The loss here is softmax cross-entropy: it would train a sigmoid (multi-label) head towards the wrong
            // target, and a raw-logit one has no loss defined at all.
            if (heads.get(t) instanceof ClassificationHead c && c.function() != ClassificationFunction.SOFTMAX) {
                throw new IllegalArgumentException("head '" + c.name() + "' scores with " + c.function().id()
                        + ", but training uses softmax cross-entropy: only softmax classification heads can be trained");
            }
        }

        // Features for every task's train and dev examples, in one backbone pass.
        List<FeatureExtractor.Request> requests = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            requests.add(new FeatureExtractor.Request(heads.get(t), tasks.get(t).train(), options.labelSubTokens()));
            requests.add(new FeatureExtractor.Request(heads.get(t), tasks.get(t).dev(), options.labelSubTokens()));
        }
        FeatureStore store = options.featureCache() == null ? null : new FeatureStore(options.featureCache());
        List<TaskFeatures> features = FeatureExtractor.extract(model.backbone(), requests, options.featureBatchSize(),
                store, listener::onFeatures);
        List<FeatureSource> sources = new ArrayList<>();
        List<TaskFeatures> devFeatures = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            sources.add(new CachedFeatures(features.get(2 * t)));
            devFeatures.add(features.get(2 * t + 1));
        }

        List<Parameter> parameters = new ArrayList<>();
        for (int t : trained) {
            parameters.addAll(heads.get(t).parameters());
            parameters.addAll(sources.get(t).parameters());
        }
        double[][] classWeights = new double[tasks.size()][];
        for (int t : trained) {
            classWeights[t] = classWeights(heads.get(t), features.get(2 * t).targets(), options);
        }

        Random random = new Random(options.seed());
        int[] batchesPerTask = new int[tasks.size()];
        int stepsPerEpoch = 0;
        for (int t : trained) {
            batchesPerTask[t] = (tasks.get(t).train().size() + options.batchSize() - 1) / options.batchSize();
            stepsPerEpoch += batchesPerTask[t];
        }
        int totalSteps = stepsPerEpoch * options.epochs();
        LinearSchedule schedule = new LinearSchedule((int) Math.ceil(totalSteps * options.warmupRatio()), totalSteps);
        AdamW optimizer = new AdamW(parameters, options.weightDecay());
        TaskSampler sampler = new TaskSampler(options.sampling(), options.temperature(), tasks, trained, options.batchSize(),
                random);

        List<EpochReport> epochs = new ArrayList<>();
        float[][] best = null;
        int bestEpoch = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        boolean hasDev = tasks.stream().anyMatch(t -> !t.dev().isEmpty());
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            long started = System.nanoTime();
            listener.onEpochStart(epoch, options.epochs(), stepsPerEpoch);
            List<TaskSampler.Draw> draws = sampler.epoch(stepsPerEpoch);
            double[] lossSum = new double[tasks.size()];
            int[] lossCount = new int[tasks.size()];
            double epochLoss = 0;
            for (int s = 0; s < draws.size(); s++) {
                TaskSampler.Draw draw = draws.get(s);
                int t = draw.task();
                for (Parameter p : parameters) {
                    p.zeroGrad();
                }
                double loss = step(heads.get(t), sources.get(t), draw.examples(), classWeights[t]);
                GradientClipping.clipByGlobalNorm(parameters, options.maxGradNorm());
                int globalStep = optimizer.steps();
                double lr = options.learningRate() * schedule.factor(globalStep);
                optimizer.step(lr);
                lossSum[t] += loss;
                lossCount[t]++;
                epochLoss += loss;
                listener.onBatch(new BatchProgress(epoch, options.epochs(), s + 1, draws.size(), globalStep + 1,
                        totalSteps, tasks.get(t).head(), loss, epochLoss / (s + 1), lr, 0));
            }
            Map<String, Double> trainLoss = new LinkedHashMap<>();
            for (int t : trained) {
                trainLoss.put(tasks.get(t).head(), lossCount[t] == 0 ? Double.NaN : lossSum[t] / lossCount[t]);
            }
            List<TaskMetrics> dev = new ArrayList<>();
            double scoreSum = 0;
            int scored = 0;
            for (int t = 0; t < tasks.size(); t++) {
                if (tasks.get(t).dev().isEmpty()) {
                    continue;
                }
                TaskMetrics metrics = Evaluator.evaluate(heads.get(t), devFeatures.get(t), options.classificationMetric());
                dev.add(metrics);
                scoreSum += metrics.score();
                scored++;
            }
            // Without dev data the latest epoch counts as the best: there is nothing to choose by.
            double score = scored == 0 ? epoch : scoreSum / scored;
            boolean improved = score > bestScore;
            if (improved) {
                bestScore = score;
                bestEpoch = epoch;
                best = snapshot(parameters);
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochReport report = new EpochReport(epoch, trainLoss, dev, hasDev ? score : Double.NaN, improved,
                    (System.nanoTime() - started) / 1e9);
            epochs.add(report);
            listener.onEpochEnd(report);
            if (hasDev && options.patience() > 0 && sinceBest >= options.patience() && epoch < options.epochs()) {
                stoppedEarly = true;
                break;
            }
        }
        if (options.restoreBest() && best != null) {
            restore(parameters, best);
        }
        return new TrainingReport(options, epochs, bestEpoch, hasDev ? bestScore : Double.NaN, stoppedEarly,
                options.restoreBest());
    }

    /** One batch of one task: forward, loss, backward into the gradients; returns the loss. */
    static double step(Head head, FeatureSource source, int[] examples, double[] classWeights) {
        FeatureSource.Batch batch = source.batch(examples);
        int k = head.labels().size();
        double[] logits = head.logits(batch.inputs(), batch.rows());
        double[] dLogits = new double[logits.length];
        double loss = CrossEntropy.lossAndGradient(logits, batch.rows(), k, batch.targets(), classWeights, dLogits);
        double[] dInputs = source.needsInputGradient() ? new double[batch.inputs().length] : null;
        head.linear().backward(batch.inputs(), batch.rows(), dLogits, dInputs);
        if (dInputs != null) {
            source.backward(batch, dInputs);
        }
        return loss;
    }

    /** The loss weight of each class, from the options or from {@code targets} (ignored tokens not counted). */
    static double[] classWeights(Head head, int[][] targets, TrainingOptions options) {
        Map<String, Double> explicit = options.classWeights().get(head.name());
        int k = head.labels().size();
        if (explicit != null) {
            double[] weights = new double[k];
            java.util.Arrays.fill(weights, 1.0);
            explicit.forEach((label, weight) -> {
                if (!(weight >= 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("class weight of '" + label + "' must be >= 0, got " + weight);
                }
                weights[head.labels().index(label)] = weight;
            });
            return weights;
        }
        if (options.classWeighting() == ClassWeighting.NONE) {
            return null;
        }
        // scikit-learn's compute_class_weight("balanced"): n / (k_present · count_c)
        int[] counts = new int[k];
        int n = 0;
        for (int[] example : targets) {
            for (int target : example) {
                if (target != org.bert4j.heads.ner.TokenLabels.IGNORE) {
                    counts[target]++;
                    n++;
                }
            }
        }
        int present = 0;
        for (int count : counts) {
            if (count > 0) {
                present++;
            }
        }
        double[] weights = new double[k];
        for (int c = 0; c < k; c++) {
            weights[c] = counts[c] == 0 ? 1.0 : (double) n / (present * (double) counts[c]);
        }
        return weights;
    }

    private static float[][] snapshot(List<Parameter> parameters) {
        float[][] copy = new float[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            copy[p] = parameters.get(p).value().clone();
        }
        return copy;
    }

    private static void restore(List<Parameter> parameters, float[][] values) {
        for (int p = 0; p < parameters.size(); p++) {
            System.arraycopy(values[p], 0, parameters.get(p).value(), 0, values[p].length);
        }
    }
}
