package org.bert4j.heads.train;

import org.bert4j.training.AdamW;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Every knob of a training run, with defaults suited to training heads on a frozen backbone. Immutable: change one
 * with its {@code withX} method.
 *
 * @param epochs             passes over the training data (at most; early stopping may end sooner)
 * @param learningRate       AdamW's peak learning rate
 * @param batchSize          examples per optimiser step
 * @param seed               seeds every random choice (head initialisation is seeded where the head is made)
 * @param warmupRatio        the share of all steps spent warming the learning rate up from 0
 * @param weightDecay        AdamW's decoupled weight decay (not applied to biases)
 * @param maxGradNorm        gradients are clipped to this global L2 norm (0: no clipping)
 * @param freezeBackbone     train only the heads, computing the backbone's outputs once (the only mode for now)
 * @param frozenHeads        heads kept as they are: their tasks are evaluated but not trained
 * @param sampling           how joint training picks the next batch's task
 * @param temperature        T of {@link TaskSampling#TEMPERATURE}
 * @param classWeighting     per-class loss weights computed from the data
 * @param classWeights       explicit weights, task → label → weight (labels not listed weigh 1); overrides classWeighting
 * @param patience           stop after this many epochs without a better dev score (0: never stop early)
 * @param restoreBest        end with the weights of the best dev epoch (Hugging Face's load_best_model_at_end)
 * @param classificationMetric the dev metric of classification tasks: {@code macro_f1} or {@code accuracy}
 * @param featureCache       a folder to keep computed backbone features in across runs (null: none)
 * @param featureBatchSize   texts per backbone pass when computing features
 * @param labelSubTokens     token heads learn every sub-token (Hugging Face's {@code label_all_tokens}), not only
 *                           each word's first: slower to learn, but needed for the {@code simple} aggregation
 * @param unfreezeLayers     how many of the backbone's top encoder layers train with the heads: 0 (the backbone
 *                           frozen, its features computed once), 1 … num_hidden_layers, or {@link #ALL_LAYERS}
 *                           (every layer and the embeddings)
 * @param backboneLearningRate the peak learning rate of the backbone's trained layers ({@code learningRate} is
 *                           the heads'): pretrained weights want a gentler rate than a fresh head
 * @param layerLrDecay       each layer below the top one learns this factor more slowly (layer-wise learning-rate
 *                           decay; 1: every layer at the backbone's rate)
 * @param gradientAccumulation batches whose gradients add up before one optimiser step: an effective batch this
 *                           many times {@code batchSize}, in the memory of one
 */
public record TrainingOptions(int epochs, double learningRate, int batchSize, long seed, double warmupRatio,
                              double weightDecay, double maxGradNorm, boolean freezeBackbone, Set<String> frozenHeads,
                              TaskSampling sampling, double temperature, ClassWeighting classWeighting,
                              Map<String, Map<String, Double>> classWeights, int patience, boolean restoreBest,
                              String classificationMetric, Path featureCache, int featureBatchSize,
                              boolean labelSubTokens, int unfreezeLayers, double backboneLearningRate,
                              double layerLrDecay, int gradientAccumulation) {

    public TrainingOptions {
        require(epochs > 0, "epochs must be positive, got " + epochs);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        require(batchSize > 0, "batch size must be positive, got " + batchSize);
        // [0, 1] as Hugging Face's warmup_ratio: 1 warms up over every step (the schedule never divides by zero).
        require(warmupRatio >= 0 && warmupRatio <= 1, "warm-up ratio must be in [0, 1], got " + warmupRatio);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(maxGradNorm >= 0, "max gradient norm must be >= 0, got " + maxGradNorm);
        require(temperature > 0, "temperature must be positive, got " + temperature);
        require(patience >= 0, "patience must be >= 0, got " + patience);
        require(featureBatchSize > 0, "feature batch size must be positive, got " + featureBatchSize);
        require(classificationMetric.equals("macro_f1") || classificationMetric.equals("accuracy"),
                "classification metric must be macro_f1 or accuracy, got " + classificationMetric);
        require(unfreezeLayers >= 0, "unfreeze layers must be >= 0, got " + unfreezeLayers);
        require(backboneLearningRate > 0 && Double.isFinite(backboneLearningRate),
                "backbone learning rate must be positive, got " + backboneLearningRate);
        require(layerLrDecay > 0 && layerLrDecay <= 1, "layer learning-rate decay must be in (0, 1], got " + layerLrDecay);
        require(gradientAccumulation > 0, "gradient accumulation must be positive, got " + gradientAccumulation);
        require(freezeBackbone == (unfreezeLayers == 0), "freezeBackbone must say whether unfreezeLayers is 0");
        frozenHeads = Set.copyOf(frozenHeads);
        classWeights = Map.copyOf(classWeights);
    }

    /** {@link #unfreezeLayers()} meaning every layer of the backbone, embeddings included. */
    public static final int ALL_LAYERS = Integer.MAX_VALUE;

    /**
     * 20 epochs, lr 3e-3 (heads on frozen features want far more than fine-tuning's 5e-5), batch 32, seed 42, 10%
     * warm-up, weight decay 0.01, clip at 1.0, frozen backbone, proportional sampling (T = 2 when temperature is
     * chosen), no class weights, patience 5, best restored, macro-F1 for classification, no feature cache,
     * only first sub-tokens labelled; with an unfrozen backbone, the backbone at 2e-4 with no layer-wise decay and
     * no gradient accumulation.
     */
    public static TrainingOptions defaults() {
        return new TrainingOptions(20, 3e-3, 32, 42, 0.1, 0.01, 1.0, true, Set.of(), TaskSampling.PROPORTIONAL, 2.0,
                ClassWeighting.NONE, Map.of(), 5, true, "macro_f1", null, 32, false, 0, 2e-4, 1.0, 1);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public TrainingOptions withEpochs(int v) {
        return new TrainingOptions(v, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withLearningRate(double v) {
        return new TrainingOptions(epochs, v, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withBatchSize(int v) {
        return new TrainingOptions(epochs, learningRate, v, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(epochs, learningRate, batchSize, v, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withWarmupRatio(double v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, v, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withWeightDecay(double v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, v, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withMaxGradNorm(double v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, v, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withFrozenHeads(Set<String> v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, v, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withSampling(TaskSampling v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, v, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withTemperature(double v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, v, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withClassWeighting(ClassWeighting v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, v, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withClassWeights(Map<String, Map<String, Double>> v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, v, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withPatience(int v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, v, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withRestoreBest(boolean v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, v, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withClassificationMetric(String v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, v, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withFeatureCache(Path v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, v, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withFeatureBatchSize(int v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, v, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withLabelSubTokens(boolean v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, v, unfreezeLayers, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withUnfreezeLayers(int v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, v == 0, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, v, backboneLearningRate, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withBackboneLearningRate(double v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, v, layerLrDecay, gradientAccumulation);
    }

    public TrainingOptions withLayerLrDecay(double v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, v, gradientAccumulation);
    }

    public TrainingOptions withGradientAccumulation(int v) {
        return new TrainingOptions(epochs, learningRate, batchSize, seed, warmupRatio, weightDecay, maxGradNorm, freezeBackbone, frozenHeads, sampling, temperature, classWeighting, classWeights, patience, restoreBest, classificationMetric, featureCache, featureBatchSize, labelSubTokens, unfreezeLayers, backboneLearningRate, layerLrDecay, v);
    }
}
