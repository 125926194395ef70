package org.bert4j.heads.train;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A digest of the code that computes backbone features, for feature-cache keys: the contents of the class files (and
 * resources) of the engine, tokenizer, model-folder and safetensors modules, of the heads' feature-extraction classes,
 * and which OpenBLAS build runs the products. A changed engine or tokenizer therefore computes its own features
 * instead of being served the old code's, with no version number for anyone to remember to bump. Contents, not
 * timestamps: rebuilding the same sources keeps the key (javac's output is deterministic), and a jar's entry dates
 * are left out.
 */
final class CodeFingerprint {

    /** Computed once per JVM, when the first feature-cache key needs it (a few milliseconds: ~1.3 MB of classes). */
    private static final String CURRENT = compute(CodeFingerprint.class.getClassLoader());

    private CodeFingerprint() {
    }

    /** The fingerprint of the code running in this JVM. */
    static String current() {
        return CURRENT;
    }

    /** The fingerprint of the code {@code loader} finds (tests pass a loader over a changed copy of a module). */
    static String compute(ClassLoader loader) {
        MessageDigest digest = sha256();
        // Whole modules below the heads: anything in them may change a hidden state.
        for (String anchor : List.of("org/bert4j/engine/BertModel.class", "org/bert4j/tokenizer/BertTokenizer.class",
                "org/bert4j/folder/BertConfig.class", "org/bert4j/safetensors/SafetensorsFile.class")) {
            update(digest, loader, anchor, name -> !name.startsWith("META-INF/"));
        }
        // In the heads module, only what turns hidden states into cached features (training code does not).
        update(digest, loader, "org/bert4j/heads/train/FeatureExtractor.class", CodeFingerprint::computesFeatures);
        updateWithOpenBlas(digest, loader);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The heads' classes that decide a feature: the backbone and heads package, extraction, storage, token labels. */
    static boolean computesFeatures(String name) {
        String heads = "org/bert4j/heads/";
        if (!name.startsWith(heads) || !name.endsWith(".class")) {
            return false;
        }
        String rest = name.substring(heads.length());
        return !rest.contains("/") || rest.startsWith("train/Feature") || rest.startsWith("train/TaskFeatures")
                || rest.startsWith("train/CodeFingerprint") || rest.startsWith("ner/TokenLabels")
                || rest.startsWith("ner/TagScheme") || rest.startsWith("data/EntitySpan") || rest.startsWith("data/Example");
    }

    /** Adds every entry {@code keep} accepts of the jar or classes folder that holds {@code anchor}. */
    private static void update(MessageDigest digest, ClassLoader loader, String anchor, Predicate<String> keep) {
        URL url = loader.getResource(anchor);
        text(digest, anchor);
        if (url == null) {
            return;
        }
        try {
            Path root = root(url, anchor);
            if (root == null) {
                // An unusual class loader: at least the anchor class itself.
                try (InputStream in = url.openStream()) {
                    digest.update(in.readAllBytes());
                }
            } else if (Files.isDirectory(root)) {
                of(root, keep, digest);
            } else {
                ofJar(root, keep, digest);
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the code at " + url + " for the feature-cache key", e);
        }
    }

    /** The classes folder or jar file {@code url} (of {@code anchor}) was loaded from, or null. */
    static Path root(URL url, String anchor) throws IOException, URISyntaxException {
        if (url.getProtocol().equals("jar")) {
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jar) {
                return Path.of(jar.getJarFileURL().toURI());
            }
            return null;
        }
        if (url.getProtocol().equals("file")) {
            Path file = Path.of(url.toURI());
            Path root = file;
            for (int i = 0; i < anchor.split("/").length; i++) {
                root = root.getParent();
            }
            return root;
        }
        return null;
    }

    /** The digest of a classes folder's entries {@code keep} accepts (by relative path, '/'-separated). */
    static void of(Path root, Predicate<String> keep, MessageDigest digest) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> relative(root, p))).toList();
        }
        for (Path file : files) {
            String name = relative(root, file);
            if (keep.test(name)) {
                text(digest, name);
                bytes(digest, Files.readAllBytes(file));
            }
        }
    }

    private static void ofJar(Path jarFile, Predicate<String> keep, MessageDigest digest) throws IOException {
        try (JarFile jar = new JarFile(jarFile.toFile())) {
            List<JarEntry> entries = jar.stream().filter(e -> !e.isDirectory() && keep.test(e.getName()))
                    .sorted(Comparator.comparing(JarEntry::getName)).toList();
            for (JarEntry entry : entries) {
                text(digest, entry.getName());
                try (InputStream in = jar.getInputStream(entry)) {
                    bytes(digest, in.readAllBytes());
                }
            }
        }
    }

    /** The OpenBLAS library's jar (its name carries the version) and the library's CRC, as the jar records it. */
    private static void updateWithOpenBlas(MessageDigest digest, ClassLoader loader) {
        URL url = loader.getResource("org/bytedeco/openblas/linux-x86_64/libopenblas.so.0");
        if (url == null) {
            text(digest, "no bundled OpenBLAS");
            return;
        }
        text(digest, url.toString().replaceFirst("^.*/", ""));
        try {
            if (url.openConnection() instanceof JarURLConnection jar) {
                text(digest, jar.getJarFileURL().getPath().replaceFirst("^.*/", "") + " " + jar.getJarEntry().getCrc());
            }
        } catch (IOException e) {
            text(digest, "OpenBLAS unreadable");
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void text(MessageDigest digest, String value) {
        bytes(digest, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(MessageDigest digest, byte[] value) {
        digest.update(java.nio.ByteBuffer.allocate(4).putInt(value.length).array());
        digest.update(value);
    }
}
