package org.bert4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's shared data files (the seed CSV, the news JSONL), found through {@code -Dbert4j.sharedData}. */
public final class SharedData {
    private SharedData() {}

    /** The file {@code name} in the shared data folder; a clear error naming the folder when it is not there. */
    public static Path file(String name) throws IOException {
        Path file = Path.of(System.getProperty("bert4j.sharedData", "../shared/data"), name);
        if (!Files.isRegularFile(file)) {
            throw new IOException(name + " not found at " + file.toAbsolutePath()
                    + "; set -Dbert4j.sharedData to the folder holding it");
        }
        return file;
    }
}
