package org.bert4j.heads.train;

import org.bert4j.training.LinearSchedule;
import org.bert4j.training.GradientClipping;
import org.bert4j.training.AdamW;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.ClassificationFunction;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.TokenClassificationHead;
import org.bert4j.heads.Tokens;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.ner.TokenLabels;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.training.Compute;
import org.bert4j.training.TrainingCompute;
import org.bert4j.training.Gradients;
import org.bert4j.training.Parameter;
import org.bert4j.training.bert.TrainableBert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The general case of multi-task training: every step runs a batch of one task through the backbone and that task's
 * head, and the loss's gradient flows back through the head into the shared layers (the seed's "training loop through
 * the backbone and each task head"), the other tasks' heads untouched that step. Which layers train is
 * {@link TrainingOptions#unfreezeLayers()}; the heads learn at {@code learningRate}, the backbone's layers at
 * {@code backboneLearningRate} (times {@code layerLrDecay} per layer below the top one). Tasks are mixed by the
 * same sampling as frozen training, with the same warm-up/decay schedule, clipping, dev evaluation after every
 * epoch, early stopping and best-epoch restore. Every random choice (batches, dropout) comes from the seed.
 */
public final class FineTuner {

    /** What a run leaves: the report and the trained backbone, to be saved as a model folder. */
    public record Result(TrainingReport report, TrainableBert backbone, Path sourceFolder) {}

    /** One task's examples, tokenised once, with their targets. */
    private record Prepared(List<Tokens> tokens, int[][] targets) {}

    private final MultiTaskModel model;
    private final List<Task> tasks;
    private final TrainingOptions options;
    private final TrainingListener listener;
    private final List<Head> heads = new ArrayList<>();
    private final TrainableBert bert;
    private final Compute compute;
    private final int hidden;
    private final Path checkpoint;
    private final boolean resume;

    private FineTuner(MultiTaskModel model, List<Task> tasks, TrainingOptions options, TrainingListener listener,
                      TrainableBert bert, Compute compute, Path checkpoint, boolean resume) {
        this.checkpoint = checkpoint;
        this.resume = resume;
        this.model = model;
        this.tasks = tasks;
        this.options = options;
        this.listener = listener;
        this.bert = bert;
        this.compute = compute;
        this.hidden = bert.config().hiddenSize();
        for (Task task : tasks) {
            heads.add(model.head(task.head()));
        }
    }

    /** Trains {@code model}'s heads and the backbone's top layers (as {@code options} say) on {@code tasks}. */
    public static Result train(MultiTaskModel model, List<Task> tasks, TrainingOptions options,
                               TrainingListener listener) throws IOException {
        return train(model, tasks, options, listener, null, false);
    }

    /**
     * {@link #train}, saving the run's state into {@code checkpoint} after every epoch (when not null); with
     * {@code resume}, starting from the state saved there, after its last epoch: the same options and data give the
     * same weights as a run that never stopped.
     */
    public static Result train(MultiTaskModel model, List<Task> tasks, TrainingOptions options,
                               TrainingListener listener, Path checkpoint, boolean resume) throws IOException {
        if (resume && checkpoint == null) {
            throw new IllegalArgumentException("resuming needs the checkpoint folder the run saved into");
        }
        if (!(model.backbone() instanceof BertBackbone backbone)) {
            throw new IllegalArgumentException("training the backbone needs a BERT model folder as backbone, not "
                    + model.backbone().getClass().getSimpleName());
        }
        for (Task task : tasks) {
            // A Hugging Face head (MultiTaskModel.loadPretrained) may read the pooler or score with sigmoid: the
            // backward pass here pools as sentence-transformers does and the loss is softmax cross-entropy.
            if (model.head(task.head()) instanceof ClassificationHead c
                    && (c.pooler() || c.function() != ClassificationFunction.SOFTMAX)) {
                throw new IllegalArgumentException("head '" + c.name() + "' " + (c.pooler()
                        ? "reads BERT's pooler, which fine-tuning does not train through"
                        : "scores with " + c.function().id() + ", but training uses softmax cross-entropy")
                        + ": only softmax heads on pooled token vectors can be fine-tuned");
            }
        }
        BertModel engine = backbone.model();
        Path folder = engine.modelDir();
        EngineOptions engineOptions = engine.options();
        try (TrainingCompute training = TrainingCompute.open(engineOptions);
             SafetensorsFile weights = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            BertConfig config = engine.config();
            TrainableBert bert = TrainableBert.load(new Checkpoint(weights), config, options.unfreezeLayers());
            Compute compute = training.compute();
            TrainingReport report = new FineTuner(model, tasks, options, listener, bert, compute, checkpoint, resume)
                    .run();
            return new Result(report, bert, folder);
        }
    }

    private TrainingReport run() throws IOException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks to train");
        }
        List<Integer> trained = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            if (!options.frozenHeads().contains(tasks.get(t).head())) {
                trained.add(t);
            }
        }
        List<Prepared> train = new ArrayList<>();
        List<Prepared> dev = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            FeatureExtractor.validate(new FeatureExtractor.Request(heads.get(t), tasks.get(t).train()));
            FeatureExtractor.validate(new FeatureExtractor.Request(heads.get(t), tasks.get(t).dev()));
            train.add(prepare(heads.get(t), tasks.get(t).train()));
            dev.add(prepare(heads.get(t), tasks.get(t).dev()));
        }

        // The heads at their learning rate, the backbone's layers at theirs: parameter groups of one optimiser.
        List<Parameter> parameters = new ArrayList<>();
        for (int t : trained) {
            parameters.addAll(heads.get(t).parameters());
        }
        List<Parameter> backboneParameters = bert.parameters();
        parameters.addAll(backboneParameters);
        AdamW optimizer = new AdamW(parameters, options.weightDecay());
        double baseLr = options.learningRate();
        int layers = bert.config().numHiddenLayers();
        for (Parameter p : backboneParameters) {
            int depth = layers - 1 - layerOf(p.name(), layers);   // 0 for the top layer
            optimizer.setLearningRateScale(p, options.backboneLearningRate() / baseLr
                    * Math.pow(options.layerLrDecay(), depth));
        }
        double[][] classWeights = new double[tasks.size()][];
        for (int t : trained) {
            classWeights[t] = Trainer.classWeights(heads.get(t), train.get(t).targets(), options);
        }

        Random random = new Random(options.seed());
        int batchesPerEpoch = 0;
        for (int t : trained) {
            batchesPerEpoch += (tasks.get(t).train().size() + options.batchSize() - 1) / options.batchSize();
        }
        int accumulation = options.gradientAccumulation();
        int stepsPerEpoch = (batchesPerEpoch + accumulation - 1) / accumulation;
        int totalSteps = stepsPerEpoch * options.epochs();
        LinearSchedule schedule = new LinearSchedule((int) Math.ceil(totalSteps * options.warmupRatio()), totalSteps);
        TaskSampler sampler = new TaskSampler(options.sampling(), options.temperature(), tasks, trained,
                options.batchSize(), random);

        List<EpochReport> epochs = new ArrayList<>();
        float[][] best = null;
        int bestEpoch = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        boolean hasDev = tasks.stream().anyMatch(t -> !t.dev().isEmpty());
        long dropoutSeeds = options.seed() * 0x9E3779B97F4A7C15L;
        int firstEpoch = 1;
        if (resume) {
            float[][] saved = new float[parameters.size()][];
            FineTuneCheckpoint.State state = FineTuneCheckpoint.read(checkpoint, parameters, optimizer, saved);
            // The batches of the epochs done are drawn again, unused: the sampler continues where it was.
            for (int e = 1; e <= state.epoch(); e++) {
                sampler.epoch(batchesPerEpoch);
            }
            epochs.addAll(state.epochs());
            bestEpoch = state.bestEpoch();
            bestScore = state.bestScore();
            sinceBest = state.sinceBest();
            best = state.hasBest() ? saved : null;
            firstEpoch = state.epoch() + 1;
        }
        // Each optimiser step clears the gradients it reads (stepAndZeroGrad); this clears any there before the run.
        Gradients.zero(parameters, compute.pool());
        for (int epoch = firstEpoch; epoch <= options.epochs(); epoch++) {
            long started = System.nanoTime();
            listener.onEpochStart(epoch, options.epochs(), stepsPerEpoch);
            List<TaskSampler.Draw> draws = sampler.epoch(batchesPerEpoch);
            double[] lossSum = new double[tasks.size()];
            int[] lossCount = new int[tasks.size()];
            double epochLoss = 0;
            int step = 0;
            for (int d = 0; d < draws.size(); d += accumulation) {
                int micro = Math.min(accumulation, draws.size() - d);
                double stepLoss = 0;
                int tokens = 0;
                String task = null;
                for (int a = 0; a < micro; a++) {
                    TaskSampler.Draw draw = draws.get(d + a);
                    int t = draw.task();
                    task = tasks.get(t).head();
                    long seed = dropoutSeeds + optimizer.steps() * 1_000_003L + a;
                    StepResult r = step(heads.get(t), train.get(t), draw.examples(), classWeights[t], 1.0 / micro,
                            seed);
                    lossSum[t] += r.loss;
                    lossCount[t]++;
                    stepLoss += r.loss / micro;
                    tokens += r.tokens;
                }
                // Clipping's scale is applied by the optimiser as it reads each gradient: one pass fewer.
                double norm = GradientClipping.globalNorm(parameters, compute.kernels(), compute.pool());
                int globalStep = optimizer.steps();
                double lr = baseLr * schedule.factor(globalStep);
                optimizer.stepAndZeroGrad(lr, GradientClipping.scale(norm, options.maxGradNorm()), compute.pool());
                step++;
                epochLoss += stepLoss;
                listener.onBatch(new BatchProgress(epoch, options.epochs(), step, stepsPerEpoch, globalStep + 1,
                        totalSteps, task, stepLoss, epochLoss / step, lr, tokens));
            }
            Map<String, Double> trainLoss = new LinkedHashMap<>();
            for (int t : trained) {
                trainLoss.put(tasks.get(t).head(), lossCount[t] == 0 ? Double.NaN : lossSum[t] / lossCount[t]);
            }
            List<TaskMetrics> devMetrics = new ArrayList<>();
            double scoreSum = 0;
            int scored = 0;
            for (int t = 0; t < tasks.size(); t++) {
                if (tasks.get(t).dev().isEmpty()) {
                    continue;
                }
                TaskMetrics metrics = Evaluator.evaluate(heads.get(t), features(heads.get(t), dev.get(t)),
                        options.classificationMetric());
                devMetrics.add(metrics);
                scoreSum += metrics.score();
                scored++;
            }
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
            EpochReport report = new EpochReport(epoch, trainLoss, devMetrics, hasDev ? score : Double.NaN, improved,
                    (System.nanoTime() - started) / 1e9);
            epochs.add(report);
            if (checkpoint != null) {
                FineTuneCheckpoint.write(checkpoint, new FineTuneCheckpoint.State(epoch, optimizer.steps(), bestEpoch,
                        bestScore, sinceBest, List.copyOf(epochs), best != null, parameters.size()), parameters,
                        optimizer, best);
            }
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

    private record StepResult(double loss, int tokens) {}

    /**
     * One batch of one task: the backbone's forward (training mode, dropout from {@code seed}), the head, the loss,
     * and the gradient back through head and backbone, scaled by {@code scale} (1 / batches accumulated).
     */
    private StepResult step(Head head, Prepared data, int[] examples, double[] classWeights, double scale, long seed) {
        List<Tokens> tokens = new ArrayList<>(examples.length);
        for (int e : examples) {
            tokens.add(data.tokens().get(e));
        }
        TokenBatch batch = pack(tokens);
        TrainableBert.Pass pass = bert.forward(compute, batch, seed, true);
        Rows rows = rows(head, pass.lastHidden, batch, data, examples);
        int k = head.labels().size();
        double[] logits = head.logits(rows.inputs, rows.count);
        double[] dLogits = new double[logits.length];
        double loss = CrossEntropy.lossAndGradient(logits, rows.count, k, rows.targets, classWeights, dLogits);
        for (int i = 0; i < dLogits.length; i++) {
            dLogits[i] *= scale;
        }
        double[] dInputs = new double[rows.inputs.length];
        head.linear().backward(rows.inputs, rows.count, dLogits, dInputs);
        float[] dLast = new float[batch.totalTokens() * hidden];
        rows.backward(dInputs, dLast);
        bert.backward(compute, pass, dLast, null);
        return new StepResult(loss, batch.totalTokens());
    }

    /** A head's input rows for a batch and how their gradient returns to the last hidden state. */
    private final class Rows {
        final float[] inputs;
        final int count;
        final int[] targets;
        /** Each input row's source: for a pooled row, its sequence; for a token row, its token (packed index). */
        final int[] source;
        final ClassificationHead pooledBy;
        final TokenBatch batch;
        final int[][] argmax;

        Rows(float[] inputs, int count, int[] targets, int[] source, ClassificationHead pooledBy, TokenBatch batch,
             int[][] argmax) {
            this.inputs = inputs;
            this.count = count;
            this.targets = targets;
            this.source = source;
            this.pooledBy = pooledBy;
            this.batch = batch;
            this.argmax = argmax;
        }

        /** dLast += the gradient of the inputs, through the pooling (or straight to the tokens). */
        void backward(double[] dInputs, float[] dLast) {
            for (int r = 0; r < count; r++) {
                if (pooledBy == null) {
                    int row = source[r] * hidden;
                    for (int j = 0; j < hidden; j++) {
                        dLast[row + j] += (float) dInputs[r * hidden + j];
                    }
                    continue;
                }
                int s = source[r];
                int start = batch.sequenceStarts()[s];
                int n = batch.sequenceLengths()[s];
                for (int j = 0; j < hidden; j++) {
                    double g = dInputs[r * hidden + j];
                    switch (pooledBy.pooling()) {
                        case MEAN -> {
                            float share = (float) (g / n);
                            for (int t = 0; t < n; t++) {
                                dLast[(start + t) * hidden + j] += share;
                            }
                        }
                        case CLS -> dLast[start * hidden + j] += (float) g;
                        case MAX -> dLast[(start + argmax[r][j]) * hidden + j] += (float) g;
                    }
                }
            }
        }
    }

    /** The head's inputs from the last hidden state: pooled sentences, or the labelled tokens. */
    private Rows rows(Head head, float[] last, TokenBatch batch, Prepared data, int[] examples) {
        switch (head) {
            case ClassificationHead c -> {
                int n = batch.size();
                float[] inputs = new float[n * hidden];
                int[] targets = new int[n];
                int[] source = new int[n];
                int[][] argmax = new int[n][hidden];
                for (int s = 0; s < n; s++) {
                    pool(c, last, batch, s, inputs, s * hidden, argmax[s]);
                    targets[s] = data.targets()[examples[s]][0];
                    source[s] = s;
                }
                return new Rows(inputs, n, targets, source, c, batch, argmax);
            }
            case TokenClassificationHead t -> {
                List<Integer> rowsOf = new ArrayList<>();
                List<Integer> targetsOf = new ArrayList<>();
                for (int s = 0; s < batch.size(); s++) {
                    int[] labels = data.targets()[examples[s]];
                    for (int i = 0; i < labels.length; i++) {
                        if (labels[i] != TokenLabels.IGNORE) {
                            rowsOf.add(batch.sequenceStarts()[s] + i);
                            targetsOf.add(labels[i]);
                        }
                    }
                }
                int n = rowsOf.size();
                float[] inputs = new float[n * hidden];
                int[] targets = new int[n];
                int[] source = new int[n];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(last, rowsOf.get(r) * hidden, inputs, r * hidden, hidden);
                    targets[r] = targetsOf.get(r);
                    source[r] = rowsOf.get(r);
                }
                return new Rows(inputs, n, targets, source, null, batch, null);
            }
        }
    }

    /** Sentence-transformers' pooling of sequence s into out[at, at + hidden); argmax gets MAX's winning tokens. */
    private void pool(ClassificationHead head, float[] last, TokenBatch batch, int s, float[] out, int at, int[] argmax) {
        int start = batch.sequenceStarts()[s];
        int n = batch.sequenceLengths()[s];
        for (int j = 0; j < hidden; j++) {
            switch (head.pooling()) {
                case MEAN -> {
                    double sum = 0;
                    for (int t = 0; t < n; t++) {
                        sum += last[(start + t) * hidden + j];
                    }
                    out[at + j] = (float) (sum / n);
                }
                case CLS -> out[at + j] = last[start * hidden + j];
                case MAX -> {
                    int bestToken = 0;
                    for (int t = 1; t < n; t++) {
                        if (last[(start + t) * hidden + j] > last[(start + bestToken) * hidden + j]) {
                            bestToken = t;
                        }
                    }
                    argmax[j] = bestToken;
                    out[at + j] = last[(start + bestToken) * hidden + j];
                }
            }
        }
    }

    /** The head's dev features under the current weights: the backbone in evaluation mode (no dropout). */
    private TaskFeatures features(Head head, Prepared data) {
        int n = data.tokens().size();
        float[][] inputs = new float[n][];
        int[][] targets = new int[n][];
        int batchSize = options.featureBatchSize();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            int[] examples = new int[to - from];
            for (int e = from; e < to; e++) {
                examples[e - from] = e;
            }
            TokenBatch batch = pack(data.tokens().subList(from, to));
            TrainableBert.Pass pass = bert.forward(compute, batch, null, false);
            for (int s = 0; s < examples.length; s++) {
                int e = examples[s];
                switch (head) {
                    case ClassificationHead c -> {
                        inputs[e] = new float[hidden];
                        pool(c, pass.lastHidden, batch, s, inputs[e], 0, new int[hidden]);
                        targets[e] = data.targets()[e];
                    }
                    case TokenClassificationHead t -> {
                        int[] labels = data.targets()[e];
                        int kept = 0;
                        for (int label : labels) {
                            kept += label == TokenLabels.IGNORE ? 0 : 1;
                        }
                        float[] rows = new float[kept * hidden];
                        int[] rowTargets = new int[kept];
                        int at = 0;
                        for (int i = 0; i < labels.length; i++) {
                            if (labels[i] != TokenLabels.IGNORE) {
                                System.arraycopy(pass.lastHidden, (batch.sequenceStarts()[s] + i) * hidden, rows,
                                        at * hidden, hidden);
                                rowTargets[at++] = labels[i];
                            }
                        }
                        inputs[e] = rows;
                        targets[e] = rowTargets;
                    }
                }
            }
        }
        return new TaskFeatures(hidden, inputs, targets);
    }

    /** Tokenises a task's examples once, with each one's class index or token tags. */
    private Prepared prepare(Head head, List<Example> examples) {
        List<Tokens> tokens = new ArrayList<>(examples.size());
        int[][] targets = new int[examples.size()][];
        for (int e = 0; e < examples.size(); e++) {
            Example example = examples.get(e);
            Tokens t = model.backbone().tokenize(example.text());
            tokens.add(t);
            targets[e] = switch (head) {
                case ClassificationHead c -> new int[] {c.labels().index(example.label())};
                case TokenClassificationHead h -> FeatureExtractor.tokenTargets(h, example, t, options.labelSubTokens());
            };
        }
        return new Prepared(tokens, targets);
    }

    private static TokenBatch pack(List<Tokens> tokens) {
        List<int[]> ids = new ArrayList<>(tokens.size());
        for (Tokens t : tokens) {
            ids.add(t.ids());
        }
        return TokenBatch.ofIds(ids);
    }

    /** The encoder layer a backbone tensor belongs to; −1 for the embeddings, the top layer's index for the pooler. */
    static int layerOf(String name, int layers) {
        if (name.startsWith("encoder.layer.")) {
            String rest = name.substring("encoder.layer.".length());
            return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
        }
        return name.startsWith("embeddings.") ? -1 : layers - 1;
    }

    private static float[][] snapshot(List<Parameter> parameters) {
        // One copy per distinct tensor: a parameter listed twice would be restored twice, harmlessly, but copied once.
        Map<Parameter, float[]> copies = new IdentityHashMap<>();
        float[][] copy = new float[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            copy[p] = copies.computeIfAbsent(parameters.get(p), q -> q.value().clone());
        }
        return copy;
    }

    private static void restore(List<Parameter> parameters, float[][] values) {
        for (int p = 0; p < parameters.size(); p++) {
            System.arraycopy(values[p], 0, parameters.get(p).value(), 0, values[p].length);
        }
    }
}
