package org.bert4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.HeadsFolder;

/**
 * The backbone {@code train} runs on. New heads: {@code --model} or the default model. Heads continued with
 * {@code --from}: the backbone and max length recorded in their heads.json, as {@code classify} and {@code ner} do,
 * because a head trained on one backbone's features means nothing on another's (equal hidden sizes do not make
 * the features comparable). A {@code --model} that names another model folder is refused.
 */
final class TrainingBackbone {
    private TrainingBackbone() {}

    static final int DEFAULT_MAX_LENGTH = 256;

    static BertBackbone open(CommandLine args, EngineOptions engine) throws IOException {
        String from = args.get("from");
        if (from == null) {
            int maxLength = args.getInt("max-length", DEFAULT_MAX_LENGTH, 8, 1 << 16);
            return args.get("model") == null ? BertBackbone.bundled(BundledModels.DEFAULT_MODEL, maxLength, engine)
                    : BertBackbone.open(ModelLocator.modelDir(args), maxLength, engine);
        }
        Path folder = Path.of(from);
        if (!Files.isDirectory(folder)) {
            throw new UsageException("train: --from folder not found: " + folder);
        }
        HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(folder);
        // Truncation is the run's choice (the feature space stays the same); the recorded length is the default.
        int maxLength = args.getInt("max-length", saved.maxLength(), 8, 1 << 16);
        if (args.get("model") != null) {
            Path given = ModelLocator.modelDir(args);
            Path recorded = recordedFolder(saved.reference(), folder);
            if (!sameFolder(given, recorded)) {
                throw new UsageException("train: --model " + given + " is not the backbone the heads in " + folder
                        + " were trained on (" + saved.reference() + "): their weights mean nothing on another model's"
                        + " features; leave out --model to go on training on the recorded backbone");
            }
        }
        // Opened by the recorded reference, so the saved heads keep it (bundled:… stays portable).
        return BertBackbone.fromReference(saved.reference(), folder, maxLength, engine);
    }

    /** The folder a recorded reference names, as {@link BertBackbone#fromReference} resolves it. */
    private static Path recordedFolder(String reference, Path headsFolder) throws IOException {
        return reference.startsWith(BertBackbone.BUNDLED)
                ? BundledModels.ensure(reference.substring(BertBackbone.BUNDLED.length()))
                : headsFolder.resolve(reference);
    }

    private static boolean sameFolder(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
