package org.bert4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.HeadKind;
import org.bert4j.heads.HeadsFolder;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.PretrainedHead;
import org.bert4j.folder.TaskConfig;

/**
 * Opens the heads {@code classify} and {@code ner} run: {@code --heads DIR} written by {@code bert4j train}, on the
 * backbone it was trained on or on {@code --model DIR}; or a Hugging Face task model folder
 * ({@code BertForSequenceClassification}, {@code BertForTokenClassification}, converted by {@code bert4j convert})
 * given as {@code --heads DIR} or {@code --model DIR}, which carries its own backbone and one head.
 */
final class HeadsLoader {
    private HeadsLoader() {}

    static final java.util.Set<String> OPTIONS = java.util.Set.of("heads", "task", "model", "threads", "batch-size",
            KernelChoice.OPTION, QuantizeChoice.OPTION);

    /**
     * What {@code --heads}, {@code --model}, {@code --task} and the engine options say, checked without loading anything
     * heavy: a bert4j heads folder (with the head {@code --task} picks) or a Hugging Face task model folder.
     */
    record Request(Path folder, String task, Path givenModel, Path taskModel, EngineOptions engine, int batchSize,
                   Integer maxLength) {}

    /**
     * Checks the arguments before the model loads: the heads folder and its heads.json, the head {@code --task} names
     * (or the only head of {@code kind}), a given {@code --model} folder, the thread count and batch size. A task
     * model's head is only known once it loads, so its {@code --task} is checked then.
     */
    static Request request(CommandLine args, HeadKind kind) throws IOException {
        EngineOptions engine = EngineOptions.defaults().withThreads(args.getInt("threads", 0, 1, 1024))
                .withKernels(KernelChoice.of(args)).withQuantize(QuantizeChoice.of(args));
        int batchSize = args.getInt("batch-size", 32, 1, 65536);
        // Only commands that declare --max-length (evaluate) can have it; the others run at the recorded length.
        Integer maxLength = args.get("max-length") == null ? null : args.getInt("max-length", 0, 8, 1 << 16);
        Path taskModel = taskModel(args);
        if (taskModel != null) {
            if (maxLength != null) {
                throw new UsageException(args.command() + ": --max-length applies to heads trained by bert4j; "
                        + taskModel + " is a Hugging Face task model, which truncates at its tokenizer's length");
            }
            return new Request(null, null, null, taskModel, engine, batchSize, null);
        }
        Path folder = Path.of(args.get("heads"));
        if (!Files.isRegularFile(folder.resolve(HeadsFolder.JSON))) {
            throw new IOException("not a heads folder: " + folder + " has no " + HeadsFolder.JSON + " (write one with"
                    + " 'bert4j train') and no config.json declaring " + TaskConfig.SEQUENCE_CLASSIFICATION + " or "
                    + TaskConfig.TOKEN_CLASSIFICATION);
        }
        // Without a kind (evaluate scores whichever heads the data labels) the caller picks the head later.
        String task = kind == null ? null : task(args, HeadsFolder.headKinds(folder), kind);
        return new Request(folder, task, ModelLocator.given(args, true), null, engine, batchSize, maxLength);
    }

    /** Opens the heads of {@code request}: a task model, or heads on their backbone or on {@code --model DIR}. */
    static MultiTaskModel open(CommandLine args, Request request) throws IOException {
        EngineOptions engine = request.engine();
        if (request.taskModel() != null) {
            return MultiTaskModel.loadPretrained(request.taskModel(), engine).withBatchSize(request.batchSize());
        }
        Path folder = request.folder();
        MultiTaskModel model;
        if (request.givenModel() != null) {
            // Another backbone than the one recorded: loading checks that its hidden size fits the heads.
            int length = request.maxLength() != null ? request.maxLength() : HeadsFolder.backboneOf(folder).maxLength();
            model = loadOn(folder, BertBackbone.open(request.givenModel(), length, engine));
        } else {
            HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(folder);
            if (!Files.exists(BertBackbone.folderOf(saved.reference(), folder))) {
                // The model folder was moved or deleted since training: say what to do, as train --from does.
                throw new UsageException(args.command() + ": the backbone the heads in " + folder + " were trained on ("
                        + saved.reference() + ") no longer exists: give its new folder with --model DIR");
            }
            model = request.maxLength() == null ? MultiTaskModel.load(folder, engine)
                    : loadOn(folder, BertBackbone.fromReference(saved.reference(), folder, request.maxLength(), engine));
        }
        return model.withBatchSize(request.batchSize());
    }

    /** The heads in {@code folder} on {@code backbone}, which is closed if they cannot load (e.g. a width mismatch). */
    private static MultiTaskModel loadOn(Path folder, BertBackbone backbone) throws IOException {
        try {
            return MultiTaskModel.load(folder, backbone);
        } catch (IOException | RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /**
     * The Hugging Face task model folder {@code --heads} or {@code --model} names, or null when the arguments name
     * a bert4j heads folder; a usage error when they name neither.
     */
    private static Path taskModel(CommandLine args) throws IOException {
        String heads = args.get("heads");
        if (heads != null) {
            Path folder = Path.of(heads);
            if (!Files.isDirectory(folder)) {
                throw new UsageException(args.command() + ": heads folder not found: " + folder);
            }
            if (Files.isRegularFile(folder.resolve(HeadsFolder.JSON)) || PretrainedHead.architectureOf(folder) == null) {
                return null;
            }
            if (args.get("model") != null) {
                throw new UsageException(args.command() + ": " + folder + " is a Hugging Face task model with its own"
                        + " backbone; leave out --model");
            }
            return folder;
        }
        if (args.get("model") == null) {
            throw new UsageException(args.command() + ": --heads DIR is required (a folder written by 'bert4j train'),"
                    + " or --model DIR for a Hugging Face " + TaskConfig.SEQUENCE_CLASSIFICATION + " / "
                    + TaskConfig.TOKEN_CLASSIFICATION + " model converted with 'bert4j convert'");
        }
        Path dir = ModelLocator.modelDir(args);
        if (PretrainedHead.architectureOf(dir) == null) {
            throw new UsageException(args.command() + ": " + dir + " has no task head (config.json declares no "
                    + TaskConfig.SEQUENCE_CLASSIFICATION + " or " + TaskConfig.TOKEN_CLASSIFICATION
                    + "); give --heads DIR written by 'bert4j train' to run trained heads on it");
        }
        return dir;
    }

    /** Turns one batch of texts into output lines, one per text. */
    interface BatchPrinter {
        List<String> lines(MultiTaskModel model, String task, List<String> batch, long firstIndex);
    }

    /**
     * The loop {@code classify} and {@code ner} share: check the arguments and read the first text, then open the
     * heads, stream the texts through the head of {@code kind} batch by batch and print each batch as soon as it is
     * computed. Empty input prints nothing and loads nothing; a closed stdout stops the loop within a batch.
     */
    static int printPredictions(CommandLine args, Console console, HeadKind kind, BatchPrinter printer) throws Exception {
        Request request = request(args, kind);
        try (TextSource input = TextSource.open(args, console, args.positionals())) {
            String first = input.next();
            if (first == null) {
                return Main.OK;
            }
            TextSource texts = TextSource.startingWith(first, input);
            long index = 0;
            try (MultiTaskModel model = open(args, request);
                    ProgressBar bar = new ProgressBar(console, args.command(), "texts", -1, -1)) {
                String task = request.task() != null ? request.task() : task(args, kinds(model), kind);
                int batchSize = request.batchSize();
                for (List<String> batch = texts.nextBatch(batchSize); !batch.isEmpty(); batch = texts.nextBatch(batchSize)) {
                    for (String line : printer.lines(model, task, batch, index)) {
                        console.out().println(line);
                    }
                    console.checkOut();
                    index += batch.size();
                    bar.advance(batch.size());
                }
            }
        }
        return Main.OK;
    }

    /** The loaded model's heads by name and kind, in order. */
    private static Map<String, HeadKind> kinds(MultiTaskModel model) {
        Map<String, HeadKind> kinds = new java.util.LinkedHashMap<>();
        model.heads().forEach((name, head) -> kinds.put(name, head.kind()));
        return kinds;
    }

    /** The head {@code --task} names, or the only head of {@code kind}; a clear error otherwise. */
    static String task(CommandLine args, Map<String, HeadKind> heads, HeadKind kind) {
        String task = args.get("task");
        List<String> candidates = heads.entrySet().stream().filter(h -> h.getValue() == kind).map(Map.Entry::getKey).toList();
        if (task != null) {
            if (heads.get(task) != kind) {
                throw new UsageException(args.command() + ": no " + kind.id() + " head named '" + task + "' (" + kind.id()
                        + " heads: " + String.join(", ", candidates) + ")");
            }
            return task;
        }
        if (candidates.isEmpty()) {
            throw new UsageException(args.command() + ": the model has no " + kind.id() + " head (heads: "
                    + String.join(", ", heads.entrySet().stream().map(h -> h.getKey() + " [" + h.getValue().id() + "]")
                    .toList()) + ")");
        }
        if (candidates.size() > 1) {
            throw new UsageException(args.command() + ": several " + kind.id() + " heads; choose one with --task ("
                    + String.join(", ", candidates) + ")");
        }
        return candidates.getFirst();
    }
}
