package org.bert4j.heads.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared data folder: the build passes it as {@code bert4j.sharedData} (../shared/data beside the checkout);
 * a checkout elsewhere (a git worktree) can point at it with the environment variable {@code BERT4J_SHARED_DATA}.
 * Tests fail loudly when it is missing.
 */
public final class SharedData {

    private SharedData() {
    }

    /** A file of the shared data folder; a clear failure if the folder or the file is absent. */
    public static Path file(String name) {
        String property = System.getProperty("bert4j.sharedData");
        String environment = System.getenv("BERT4J_SHARED_DATA");
        for (String folder : new String[] {property, environment}) {
            if (folder != null && Files.isRegularFile(Path.of(folder).resolve(name))) {
                return Path.of(folder).resolve(name);
            }
        }
        throw new IllegalStateException("shared data file " + name + " is absent from bert4j.sharedData=" + property
                + " and BERT4J_SHARED_DATA=" + environment + ": the tests need ../shared/data beside the repository");
    }
}
