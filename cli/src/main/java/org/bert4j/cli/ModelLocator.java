package org.bert4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bert4j.convert.BundledModels;

/** Resolves {@code --model}: a model folder given by the user, or the bundled default model. */
final class ModelLocator {
    private ModelLocator() {}

    /** The model folder named by {@code --model}, checked to look like one; the default model when absent. */
    static Path modelDir(CommandLine args) throws IOException {
        return modelDir(args, true);
    }

    /** As {@link #modelDir(CommandLine)}; {@code needsConfig} false accepts a tokenizer-only folder. */
    static Path modelDir(CommandLine args, boolean needsConfig) throws IOException {
        Path given = given(args, needsConfig);
        return given != null ? given : BundledModels.defaultModel();
    }

    /**
     * The folder {@code --model} names, checked to look like a model folder, or null when the option is absent.
     * Cheap (a few file checks), so commands call it while validating their arguments, before reading input or
     * loading anything; the default model is only resolved (converted on first use) when it is needed.
     */
    static Path given(CommandLine args, boolean needsConfig) throws IOException {
        String given = args.get("model");
        if (given == null) {
            return null;
        }
        Path dir = Path.of(given);
        if (!Files.exists(dir)) {
            throw new UsageException(args.command() + ": model folder not found: " + dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(args.command() + ": --model must be a model folder (with config.json), not a file: " + dir
                    + (given.endsWith(".onnx") || given.endsWith(".bin") ? "; convert it first with 'bert4j convert'" : ""));
        }
        if (needsConfig && !Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IOException("not a model folder: " + dir + " has no config.json");
        }
        return dir;
    }
}
