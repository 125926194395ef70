package org.bert4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;

/**
 * A random 16-wide, one-layer BERT with MiniLM's vocabulary: a real model folder whose forward pass costs
 * microseconds, for tests about the command line's plumbing (pipes, streaming, interrupted writes) rather than numbers.
 */
final class TinyModel {
    private TinyModel() {}

    /** Writes the folder into {@code dir} (created), unless it is already there; returns it. */
    static synchronized Path in(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("vocab.txt"))) {
            RandomCheckpoint.write(Files.createDirectories(dir), BertConfig.of(30522, 16, 1, 2, 32), 1, 0.02, false);
            Files.copy(BundledModels.defaultModel().resolve("vocab.txt"), dir.resolve("vocab.txt"));
        }
        return dir;
    }
}
