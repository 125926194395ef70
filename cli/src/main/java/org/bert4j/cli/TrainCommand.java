package org.bert4j.cli;

import org.bert4j.training.AdamW;
import org.bert4j.training.ModelFolderWriter;
import org.bert4j.heads.train.FineTuner;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bert4j.engine.EngineOptions;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.HeadsFolder;
import org.bert4j.heads.LabelVocabulary;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.data.AlignmentIssue;
import org.bert4j.heads.data.Dataset;
import org.bert4j.heads.data.Datasets;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.data.FieldMapping;
import org.bert4j.heads.data.MalformedTextException;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.heads.train.BatchProgress;
import org.bert4j.heads.train.ClassWeighting;
import org.bert4j.heads.train.EpochReport;
import org.bert4j.heads.train.Task;
import org.bert4j.heads.train.TaskMetrics;
import org.bert4j.heads.train.TaskSampling;
import org.bert4j.heads.train.Trainer;
import org.bert4j.heads.train.TrainingListener;
import org.bert4j.heads.train.TrainingOptions;
import org.bert4j.heads.train.TrainingReport;

/**
 * {@code bert4j train}: the seed's step 3 from the shell. Trains a classification head and/or an NER head on a
 * frozen backbone, prints each epoch's dev metrics, and writes the heads folder plus {@code metrics.json}.
 */
final class TrainCommand implements Command {
    static final String CLASSIFICATION = "classification";
    static final String NER = "ner";

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train classification / NER heads on a frozen backbone from CSV, JSONL or CoNLL data";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j train --data FILE --out DIR [options]

                Trains, on a shared frozen backbone, a sentence-classification head (mean-pooled embedding ->
                linear -> classes) named 'classification' when --label-column is given, and a token-
                classification (NER) head named 'ner' when --ner-column is given (or the data is CoNLL /
                token-tag JSONL). By default the backbone stays frozen: its outputs are computed once and
                cached, so an epoch costs only the heads. With --unfreeze N (or all) its top N layers (or all
                of it) train with the heads, every batch through the backbone and back. Writes DIR
                (heads.json, heads.safetensors, metrics.json, and backbone/, the trained model folder, when
                unfrozen) and prints the final dev metrics as JSON on stdout; progress and per-epoch metrics go
                to stderr.

                Data (.csv, .jsonl, .conll):
                  --data FILE            training data; a dev split is held out from it (--dev-fraction)
                  --text-columns A,B     columns / fields joined with a space into the text
                                         (default: headline,short_description, as in the seed)
                  --encoding E           charset of the data files (default UTF-8; windows-1252 or
                                         ISO-8859-1 for Latin-1)
                  --label-column C       class label column (e.g. category)
                  --ner-column C         entity annotations column: [('4 Million', 'AMOUNT'), ...]
                  --ner-data FILE        NER examples from another file (same columns), for when one task
                                         has far less data than the other
                  --dev-fraction F       share held out for dev evaluation (default 0.1)
                  --tag-scheme S         bio (default) | io

                Model:
                  --model DIR            backbone model folder (default: all-MiniLM-L6-v2; with --from, the
                                         backbone the heads were trained on, and no other; its new
                                         folder if it was moved)
                  --from DIR             start from heads saved earlier (to keep training, or to freeze one)
                  --max-length N         truncate texts to N tokens (default 256; with --from, the recorded one)
                  --freeze X             classification | ner: keep that head as it is; repeat with commas
                                         (backbone: the default, see --unfreeze)
                  --unfreeze N           train the backbone's top N encoder layers with the heads, or 'all'
                                         (every layer and the embeddings); 0 (default): the backbone frozen

                Training:
                  --epochs N             at most N epochs (default 10)
                  --lr X                 AdamW peak learning rate (default 1e-3)
                  --batch-size N         examples per step (default 32)
                  --seed N               seed of every random choice (default 42)
                  --sampling S           proportional (default) | temperature | round-robin: which task the
                                         next batch comes from when training both heads
                  --temperature T        T for --sampling temperature (default 2)
                  --class-weights W      none (default) | balanced: weigh rare classes up
                  --weight-decay X       AdamW decoupled weight decay (default 0.01)
                  --warmup X             share of steps with a warming learning rate (default 0.1)
                  --patience N           stop after N epochs without a better dev score (default 3; 0 = never)
                  --backbone-lr X        with --unfreeze: the backbone's peak learning rate (default 2e-4;
                                         --lr is the heads')
                  --layer-lr-decay X     with --unfreeze: each layer below the top learns X times slower
                                         (default 1: all at --backbone-lr)
                  --grad-accumulation N  add up N batches' gradients per optimiser step (default 1)
                  --resume               with --unfreeze: continue an interrupted run after its last finished
                                         epoch (the same command plus --resume; the run keeps its state in
                                         .OUT.checkpoint beside OUT until it ends)
                  --threads N            compute threads for the backbone (default: all cores)
                  --feature-cache DIR    keep the backbone's outputs here across runs (default:
                                         <bert4j cache>/features; 'none' to turn it off)
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("data", "out", "text-columns", "label-column", "ner-column", "ner-data", "dev-fraction",
                "tag-scheme", "model", "from", "max-length", "freeze", "epochs", "lr", "batch-size", "seed", "sampling",
                "temperature", "class-weights", "weight-decay", "warmup", "patience", "threads", "feature-cache",
                "unfreeze", "backbone-lr", "layer-lr-decay", "grad-accumulation",
                Encodings.OPTION);
    }

    @Override
    public Set<String> switches() {
        return Set.of("resume");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("train: unexpected argument '" + args.positionals().getFirst() + "' (data comes with --data FILE)");
        }
        Path data = requiredFile(args, "data");
        String out = args.get("out");
        if (out == null) {
            throw new UsageException("train: --out DIR is required");
        }
        Path outDir = Path.of(out);
        if (Files.exists(outDir) && !isEmptyFolder(outDir)) {
            throw new UsageException("train: --out " + outDir + " already exists and is not empty");
        }
        Path outParent = outDir.toAbsolutePath().getParent();
        if (outParent != null && !Files.isDirectory(outParent)) {
            throw new UsageException("train: the folder --out " + outDir + " goes into does not exist: " + outParent);
        }
        if (outParent != null && !Files.isWritable(outParent)) {
            throw new UsageException("train: cannot write into " + outParent + ", where --out " + outDir + " goes");
        }
        List<String> textColumns = args.getList("text-columns", List.of("headline", "short_description"));
        String labelColumn = args.get("label-column");
        String nerColumn = args.get("ner-column");
        Set<String> frozen = new LinkedHashSet<>(args.getList("freeze"));
        for (String f : frozen) {
            if (!List.of("backbone", CLASSIFICATION, NER).contains(f)) {
                throw new UsageException("train: --freeze takes backbone, classification or ner, got '" + f + "'");
            }
        }
        int unfreeze = unfreezeLayers(args);
        if (frozen.contains("backbone") && unfreeze > 0) {
            throw new UsageException("train: --freeze backbone and --unfreeze " + args.get("unfreeze")
                    + " contradict each other");
        }
        frozen.remove("backbone"); // frozen unless --unfreeze says otherwise
        if (args.has("resume") && unfreeze == 0) {
            throw new UsageException("train: --resume continues an --unfreeze run (a frozen backbone's run reuses its"
                    + " cached features instead)");
        }
        Path checkpoint = checkpointOf(outDir);
        if (args.has("resume") && !Files.isRegularFile(checkpoint.resolve("state.json"))) {
            throw new UsageException("train: --resume: no interrupted run of " + outDir + " to continue (" + checkpoint
                    + " has no state.json)");
        }
        // Checked before the data is read: a mistyped --from should not cost a pass over a large file.
        Path from = args.get("from") == null ? null : existingFolder(args, "from");
        if (!frozen.isEmpty() && from == null) {
            throw new UsageException("train: freezing the " + String.join(" and ", frozen)
                    + " head keeps it as it is, so it must come from earlier training: add --from HEADS_DIR");
        }
        TrainingOptions options = trainingOptions(args, frozen).withUnfreezeLayers(unfreeze)
                .withBackboneLearningRate(args.getDouble("backbone-lr", 2e-4, 1e-9, 10))
                .withLayerLrDecay(args.getDouble("layer-lr-decay", 1.0, 1e-3, 1.0))
                .withGradientAccumulation(args.getInt("grad-accumulation", 1, 1, 4096));
        double devFraction = args.getDouble("dev-fraction", 0.1, 0.0, 0.9);
        long seed = options.seed();
        // Every option is read and checked here, before the data and the backbone: a mistake costs neither.
        TagScheme scheme = TagScheme.parse(args.getChoice("tag-scheme", "bio", List.of("bio", "io", "iob", "iob2")));
        int maxLength = args.getInt("max-length", from == null ? TrainingBackbone.DEFAULT_MAX_LENGTH
                : HeadsFolder.backboneOf(from).maxLength(), 8, 1 << 16);
        EngineOptions engine = EngineOptions.defaults().withThreads(args.getInt("threads", 0, 1, 1024));
        Charset charset = Encodings.charset(args);
        Path nerData = args.get("ner-data") == null ? null : requiredFile(args, "ner-data");

        Dataset dataset = readData(console, "train", data, new FieldMapping(textColumns, labelColumn, nerColumn), charset);
        Dataset nerDataset = nerData == null ? dataset
                : readData(console, "train", nerData, new FieldMapping(textColumns, null, nerColumn), charset);
        List<Example> labelled = dataset.examples().stream().filter(Example::hasLabel).toList();
        boolean nerFormat = labelColumn == null && nerColumn == null && !nerDataset.entityTypes().isEmpty();
        List<Example> tagged = nerColumn != null || nerFormat || args.get("ner-data") != null
                ? nerDataset.examples() : List.of();
        if (labelColumn != null && labelled.isEmpty()) {
            throw new IOException(data + ": no row has a value in the label column '" + labelColumn + "'");
        }
        if (labelColumn == null && tagged.isEmpty()) {
            throw new UsageException("train: nothing to train: give --label-column and/or --ner-column");
        }

        BertBackbone backbone = TrainingBackbone.open(args, from, maxLength, engine, console);
        try (MultiTaskModel model = model(from, backbone)) {
            requireFrozenHeadsSaved(args, model, frozen);
            List<Task> tasks = new ArrayList<>();
            if (labelColumn != null) {
                if (!model.heads().containsKey(CLASSIFICATION)) {
                    model.addClassificationHead(CLASSIFICATION, LabelVocabulary.fromData(dataset.labels()).labels(), Pooling.MEAN, seed);
                }
                tasks.add(Task.split(CLASSIFICATION, labelled, devFraction, seed));
            }
            if (!tagged.isEmpty()) {
                if (!model.heads().containsKey(NER)) {
                    model.addTokenClassificationHead(NER, nerDataset.entityTypes(), scheme, seed + 1);
                }
                tasks.add(Task.split(NER, tagged, devFraction, seed));
            }
            for (Task task : tasks) {
                console.err().printf(Locale.ROOT, "bert4j train: task %s: %d train, %d dev examples%n",
                        task.head(), task.train().size(), task.dev().size());
            }
            int layers = backbone.model().config().numHiddenLayers();
            if (unfreeze != TrainingOptions.ALL_LAYERS && unfreeze > layers) {
                throw new UsageException("train: --unfreeze " + unfreeze + ": the backbone has " + layers
                        + " layers (give at most " + layers + ", or all)");
            }
            TrainingReport report;
            FineTuner.Result tuned = null;
            try (ProgressListener listener = new ProgressListener(console)) {
                if (unfreeze == 0) {
                    report = Trainer.train(model, tasks, options, listener);
                } else {
                    tuned = FineTuner.train(model, tasks, options, listener, checkpoint, args.has("resume"));
                    report = tuned.report();
                }
            }
            save(model, report, tuned, outDir);
            deleteTree(checkpoint);   // the run is over: nothing left to resume
            console.err().println(Double.isNaN(report.bestScore())
                    ? "bert4j train: no dev examples, kept the last epoch; wrote " + outDir
                    : String.format(Locale.ROOT, "bert4j train: best epoch %d (dev score %.4f); wrote %s",
                            report.bestEpoch(), report.bestScore(), outDir));
            console.out().println(finalMetrics(report));
        }
        return Main.OK;
    }

    /** New heads on {@code backbone}, or those saved in {@code from}; the backbone is closed if they cannot load. */
    private static MultiTaskModel model(Path from, BertBackbone backbone) throws IOException {
        if (from == null) {
            return MultiTaskModel.on(backbone);
        }
        try {
            return MultiTaskModel.load(from, backbone); // checks the hidden size of a --model given for a moved one
        } catch (IOException | RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /**
     * A frozen head is kept as it is, so it must be one of the --from folder's heads: a head made fresh here would be
     * random weights saved as if trained.
     */
    private static void requireFrozenHeadsSaved(CommandLine args, MultiTaskModel model, Set<String> frozen) {
        for (String head : frozen) {
            if (!model.heads().containsKey(head)) {
                throw new UsageException("train: --freeze " + head + ": the heads folder " + args.get("from")
                        + " has no '" + head + "' head (its heads: " + String.join(", ", model.heads().keySet())
                        + "); a frozen head is kept as it is, so it must have been trained before");
            }
        }
    }

    private static TrainingOptions trainingOptions(CommandLine args, Set<String> frozenHeads) {
        return TrainingOptions.defaults()
                .withEpochs(args.getInt("epochs", 10, 1, 100_000))
                .withLearningRate(args.getDouble("lr", 1e-3, 1e-9, 10))
                .withBatchSize(args.getInt("batch-size", 32, 1, 65536))
                .withSeed(args.getInt("seed", 42, Integer.MIN_VALUE, Integer.MAX_VALUE))
                .withSampling(TaskSampling.parse(args.getChoice("sampling", "proportional",
                        List.of("proportional", "temperature", "round-robin"))))
                .withTemperature(args.getDouble("temperature", 2.0, 1e-3, 1e6))
                .withClassWeighting(ClassWeighting.parse(args.getChoice("class-weights", "none", List.of("none", "balanced"))))
                .withWeightDecay(args.getDouble("weight-decay", 0.01, 0, 10))
                .withWarmupRatio(args.getDouble("warmup", 0.1, 0, 1))
                .withPatience(args.getInt("patience", 3, 0, 100_000))
                .withFrozenHeads(frozenHeads)
                .withFeatureCache(featureCache(args));
    }

    /** Backbone features are the slow part of a frozen-backbone run: keep them for the next run unless told not to. */
    private static Path featureCache(CommandLine args) {
        String value = args.get("feature-cache");
        if ("none".equals(value)) {
            return null;
        }
        return value != null ? Path.of(value) : org.bert4j.convert.BundledModels.cacheRoot().resolve("features");
    }

    /** Reads a data file as {@code command} does, reporting on stderr the annotations that could not be aligned. */
    static Dataset readData(Console console, String command, Path file, FieldMapping fields, Charset charset)
            throws IOException {
        Dataset dataset;
        try {
            dataset = Datasets.read(file, fields, charset);
        } catch (MalformedTextException e) {
            throw Encodings.withHint(e);
        }
        List<AlignmentIssue> issues = dataset.issues();
        if (!issues.isEmpty()) {
            // Entities that cannot be found in their text are reported, never silently dropped.
            console.err().printf(Locale.ROOT, "bert4j %s: %s: %d annotation(s) could not be aligned with the text:%n",
                    command, file, issues.size());
            issues.stream().limit(20).forEach(issue -> console.err().println("  " + issue));
            if (issues.size() > 20) {
                console.err().println("  ... and " + (issues.size() - 20) + " more");
            }
        }
        console.err().printf(Locale.ROOT, "bert4j %s: %s: %d examples%n", command, file, dataset.size());
        return dataset;
    }

    /** Writes the heads and metrics.json into a temporary sibling folder, then renames it into place. */
    /** The folder name of a trained backbone inside the output folder, and the reference heads.json records. */
    static final String TRAINED_BACKBONE = "backbone";

    /** Where an --unfreeze run keeps its state between epochs: a hidden folder beside OUT. */
    private static Path checkpointOf(Path outDir) {
        Path absolute = outDir.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".checkpoint");
    }

    /** 0, 1 … N, or all ({@link TrainingOptions#ALL_LAYERS}). */
    private static int unfreezeLayers(CommandLine args) {
        if ("all".equals(args.get("unfreeze"))) {
            return TrainingOptions.ALL_LAYERS;
        }
        return args.getInt("unfreeze", 0, 0, 1024);
    }

    private static void save(MultiTaskModel model, TrainingReport report, FineTuner.Result tuned, Path outDir)
            throws IOException {
        Path absolute = outDir.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".incomplete");
        deleteTree(temp);
        if (tuned == null) {
            model.save(temp);
        } else {
            // The heads point at the backbone saved beside them: the folder moves as one.
            model.save(temp, TRAINED_BACKBONE);
            ModelFolderWriter.write(tuned.backbone(), tuned.sourceFolder(), temp.resolve(TRAINED_BACKBONE));
        }
        Files.writeString(temp.resolve("metrics.json"), report.toJson());
        if (Files.exists(absolute)) {
            Files.delete(absolute); // checked empty before training
        }
        Files.move(temp, absolute);
    }

    private static String finalMetrics(TrainingReport report) {
        StringBuilder json = new StringBuilder("{\"best_epoch\":").append(report.bestEpoch()).append(",\"dev\":{");
        List<TaskMetrics> dev = report.best().dev();
        for (int i = 0; i < dev.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(dev.get(i).task()).append("\":").append(dev.get(i).toJson());
        }
        // One line on stdout, whatever layout the metrics' own JSON has.
        return com.google.gson.JsonParser.parseString(json.append("}}").toString()).toString();
    }

    /** The file option {@code option} names, which must exist: a usage error otherwise. */
    static Path requiredFile(CommandLine args, String option) {
        String value = args.get(option);
        if (value == null) {
            throw new UsageException(args.command() + ": --" + option + " FILE is required");
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw new UsageException(args.command() + ": --" + option + " file not found: " + file);
        }
        return file;
    }

    private static Path existingFolder(CommandLine args, String option) {
        Path dir = Path.of(args.get(option));
        if (!Files.isDirectory(dir)) {
            throw new UsageException(args.command() + ": --" + option + " folder not found: " + dir);
        }
        return dir;
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Draws the feature pass and each epoch as progress bars, with the running loss, and prints dev metrics. */
    private static final class ProgressListener implements TrainingListener, AutoCloseable {
        private final Console console;
        private ProgressBar bar;
        private int featuresDone;
        private long epochStarted;
        private long tokens;

        ProgressListener(Console console) {
            this.console = console;
        }

        @Override
        public void onFeatures(int done, int total) {
            if (bar == null) {
                bar = new ProgressBar(console, "backbone features", "texts", total, -1);
                featuresDone = 0;
            }
            bar.advance(done - featuresDone);
            featuresDone = done;
            if (done >= total) {
                close();
            }
        }

        @Override
        public void onEpochStart(int epoch, int epochs, int steps) {
            close();
            bar = new ProgressBar(console, "epoch " + epoch + "/" + epochs, "steps", steps, steps);
            epochStarted = System.nanoTime();
            tokens = 0;
        }

        @Override
        public void onBatch(BatchProgress progress) {
            if (bar != null) {
                long now = System.nanoTime();
                tokens += progress.tokens();
                double seconds = (now - epochStarted) / 1e9;
                bar.suffix(progress.tokens() == 0 || seconds <= 0
                        ? String.format(Locale.ROOT, "loss %.4f", progress.runningLoss())
                        : String.format(Locale.ROOT, "loss %.4f, %.0f tokens/s", progress.runningLoss(), tokens / seconds));
                bar.advance(1);
            }
        }

        @Override
        public void onEpochEnd(EpochReport report) {
            close();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d:", report.epoch()));
            for (Map.Entry<String, Double> loss : report.trainLoss().entrySet()) {
                // A task the sampler gave no batch this epoch has no loss to show.
                line.append(loss.getValue().isNaN() ? String.format(Locale.ROOT, " %s (no batch)", loss.getKey())
                        : String.format(Locale.ROOT, " %s loss %.4f", loss.getKey(), loss.getValue()));
            }
            for (TaskMetrics metrics : report.dev()) {
                line.append(String.format(Locale.ROOT, " | dev %s score %.4f", metrics.task(), metrics.score()));
            }
            line.append(String.format(Locale.ROOT, " | %.1fs%s", report.seconds(), report.improved() ? " *" : ""));
            console.err().println(line);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
