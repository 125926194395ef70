package org.bert4j.folder;

import java.nio.file.Path;

/**
 * Where bert4j keeps what it derives once and reuses: converted models, the GEMM backends' timings. One folder for
 * all of them, so that one setting moves (or clears) everything.
 */
public final class CacheRoot {
    private CacheRoot() {}

    /** {@code $BERT4J_CACHE_DIR}, else the system property {@code bert4j.cacheDir}, else {@code ~/.cache/bert4j}. */
    public static Path path() {
        String env = System.getenv("BERT4J_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        String property = System.getProperty("bert4j.cacheDir");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "bert4j");
    }
}
