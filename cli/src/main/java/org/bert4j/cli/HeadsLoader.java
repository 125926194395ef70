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

/** Opens {@code --heads DIR} on the backbone it was trained on, or on {@code --model DIR} when given. */
final class HeadsLoader {
    private HeadsLoader() {}

    static final java.util.Set<String> OPTIONS = java.util.Set.of("heads", "task", "model", "threads", "batch-size",
            KernelChoice.OPTION);

    /** What {@code --heads}, {@code --task} and the engine options say, checked without loading anything heavy. */
    record Request(Path folder, String task, Path givenModel, EngineOptions engine, int batchSize) {}

    /**
     * Checks the arguments before the model loads: the heads folder and its heads.json, the head {@code --task} names
     * (or the only head of {@code kind}), a given {@code --model} folder, the thread count and batch size.
     */
    static Request request(CommandLine args, HeadKind kind) throws IOException {
        String given = args.get("heads");
        if (given == null) {
            throw new UsageException(args.command() + ": --heads DIR is required (a folder written by 'bert4j train')");
        }
        Path folder = Path.of(given);
        if (!Files.isDirectory(folder)) {
            throw new UsageException(args.command() + ": heads folder not found: " + folder);
        }
        if (!Files.isRegularFile(folder.resolve(HeadsFolder.JSON))) {
            throw new IOException("not a heads folder: " + folder + " has no " + HeadsFolder.JSON + " (write one with 'bert4j train')");
        }
        String task = task(args, HeadsFolder.headKinds(folder), kind);
        EngineOptions engine = EngineOptions.defaults().withThreads(args.getInt("threads", 0, 1, 1024))
                .withKernels(KernelChoice.of(args));
        int batchSize = args.getInt("batch-size", 32, 1, 65536);
        return new Request(folder, task, ModelLocator.given(args, true), engine, batchSize);
    }

    /** Opens the heads of {@code request} on the backbone they were trained on, or on {@code --model DIR}. */
    static MultiTaskModel open(CommandLine args, Request request) throws IOException {
        Path folder = request.folder();
        EngineOptions engine = request.engine();
        MultiTaskModel model;
        if (request.givenModel() != null) {
            // Another backbone than the one recorded: loading checks that its hidden size fits the heads.
            int maxLength = HeadsFolder.backboneOf(folder).maxLength();
            BertBackbone backbone = BertBackbone.open(request.givenModel(), maxLength, engine);
            try {
                model = MultiTaskModel.load(folder, backbone);
            } catch (IOException | RuntimeException e) {
                backbone.close();
                throw e;
            }
        } else {
            HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(folder);
            if (!Files.exists(BertBackbone.folderOf(saved.reference(), folder))) {
                // The model folder was moved or deleted since training: say what to do, as train --from does.
                throw new UsageException(args.command() + ": the backbone the heads in " + folder + " were trained on ("
                        + saved.reference() + ") no longer exists: give its new folder with --model DIR");
            }
            model = MultiTaskModel.load(folder, engine);
        }
        return model.withBatchSize(request.batchSize());
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
                int batchSize = request.batchSize();
                for (List<String> batch = texts.nextBatch(batchSize); !batch.isEmpty(); batch = texts.nextBatch(batchSize)) {
                    for (String line : printer.lines(model, request.task(), batch, index)) {
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
            throw new UsageException(args.command() + ": the heads folder has no " + kind.id() + " head (heads: "
                    + String.join(", ", heads.keySet()) + ")");
        }
        if (candidates.size() > 1) {
            throw new UsageException(args.command() + ": several " + kind.id() + " heads; choose one with --task ("
                    + String.join(", ", candidates) + ")");
        }
        return candidates.getFirst();
    }
}
