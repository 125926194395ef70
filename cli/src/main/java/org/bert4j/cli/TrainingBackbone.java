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
 * the features comparable). A {@code --model} that names another model folder is refused, unless the recorded folder
 * no longer exists (moved): then {@code --model} names where it went, and the new heads record that folder.
 */
final class TrainingBackbone {
    private TrainingBackbone() {}

    static final int DEFAULT_MAX_LENGTH = 256;

    /**
     * {@code from}: the --from heads folder, checked to exist; null for new heads. {@code maxLength}: --max-length, else
     * {@link #DEFAULT_MAX_LENGTH} for new heads and the recorded one for --from heads. Notices go to stderr.
     */
    static BertBackbone open(CommandLine args, Path from, int maxLength, EngineOptions engine, Console console)
            throws IOException {
        if (from == null) {
            return args.get("model") == null ? BertBackbone.bundled(BundledModels.DEFAULT_MODEL, maxLength, engine)
                    : BertBackbone.open(ModelLocator.modelDir(args), maxLength, engine);
        }
        HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(from);
        // Truncation is the run's choice (the feature space stays the same); the recorded length is the default.
        Path recorded = BertBackbone.folderOf(saved.reference(), from);
        boolean moved = !Files.exists(recorded);
        if (args.get("model") == null) {
            if (moved) {
                throw new UsageException("train: the backbone the heads in " + from + " were trained on ("
                        + saved.reference() + ") no longer exists: give its new folder with --model DIR");
            }
        } else {
            Path given = ModelLocator.modelDir(args);
            if (moved) {
                // Nothing left to compare with: trust --model, as classify and ner do (its hidden size is checked
                // when the heads load), and say so, since the saved heads will name this folder from now on.
                console.err().println("bert4j train: the recorded backbone " + saved.reference()
                        + " no longer exists; training on --model " + given + ", which the new heads record");
                return BertBackbone.open(given, maxLength, engine);
            }
            if (!Files.isSameFile(given, recorded)) {
                throw new UsageException("train: --model " + given + " is not the backbone the heads in " + from
                        + " were trained on (" + saved.reference() + "): their weights mean nothing on another model's"
                        + " features; leave out --model to go on training on the recorded backbone");
            }
        }
        // Opened by the recorded reference, so the saved heads keep it (bundled:… stays portable).
        return BertBackbone.fromReference(saved.reference(), from, maxLength, engine);
    }
}
