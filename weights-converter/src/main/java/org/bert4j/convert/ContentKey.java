package org.bert4j.convert;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Names things by their contents, for the keys of the converted-model cache ({@link BundledModels}): the converter's
 * own code, and a source file wherever the class loader finds it. A changed converter or a changed ONNX file then
 * gets its own key, with no version number for anyone to remember to bump (the idea of the heads' feature-cache
 * fingerprint). Contents, never timestamps: rebuilding the same sources keeps the key (javac's output is
 * deterministic), and a jar's entry dates are left out. A file's size and CRC-32 stand for its bytes (a jar records
 * both, so checking a cache inflates nothing); CRC-32 catches every change of up to 32 bits and all but one in 2^32
 * of the rest, and these keys guard against stale caches, not against an adversary.
 */
final class ContentKey {

    /**
     * The packages whose code decides what a conversion writes: the converter (with the bundled models' list and
     * their pooling), the safetensors writer and the model-folder files. Each found by one of its classes.
     */
    private static final List<String> CONVERTER_ANCHORS = List.of("org/bert4j/convert/ModelConverter.class",
            "org/bert4j/safetensors/SafetensorsFile.class", "org/bert4j/folder/BertConfig.class");

    private ContentKey() {
    }

    /** The converter code running in this JVM, computed on first use. */
    static String converter() {
        return RunningConverter.KEY;
    }

    private static final class RunningConverter {
        static final String KEY = converter(ContentKey.class.getClassLoader());
    }

    /**
     * A 64-bit hash of the converter code {@code loader} finds: every file of the packages of {@link #CONVERTER_ANCHORS}
     * (class files and resources, each by its name, size and CRC-32: from a jar's directory, or computed from a classes
     * folder's files, so both give the same key; also inside one jar holding everything), and the name of gson's jar
     * (its version), which writes the JSON files.
     */
    static String converter(ClassLoader loader) {
        Hash digest = new Hash();
        for (String anchor : CONVERTER_ANCHORS) {
            String pkg = anchor.substring(0, anchor.lastIndexOf('/') + 1);
            text(digest, anchor);
            URL url = loader.getResource(anchor);
            if (url == null) {
                continue;
            }
            try {
                Path root = root(url, anchor);
                if (root == null) {
                    // An unusual class loader: at least the anchor class itself.
                    try (InputStream in = url.openStream()) {
                        bytes(digest, in.readAllBytes());
                    }
                } else if (Files.isDirectory(root)) {
                    ofFolder(root, pkg, digest);
                } else {
                    ofJar(root, pkg, digest);
                }
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException("cannot read the converter's code at " + url + " for the model-cache key", e);
            }
        }
        URL gson = loader.getResource("com/google/gson/Gson.class");
        text(digest, gson == null ? "no gson" : gson.toString().replaceFirst("!/.*$", "").replaceFirst("^.*/", ""));
        return digest.hex();
    }

    /**
     * The contents of the file at {@code url}: for a jar entry, its uncompressed size and CRC-32 as the jar's central
     * directory records them (nothing is read or inflated: microseconds for a 90 MB model); for anything else, its
     * size and CRC-32, computed as it is read.
     */
    static String ofResource(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry != null && entry.getSize() >= 0 && entry.getCrc() != -1) {
                return "size " + entry.getSize() + " crc32 " + String.format("%08x", entry.getCrc());
            }
        }
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return "size " + size + " crc32 " + String.format("%08x", crc.getValue());
    }

    /** The classes folder or jar file {@code url} (of {@code anchor}) was loaded from, or null. */
    static Path root(URL url, String anchor) throws IOException, URISyntaxException {
        if (url.getProtocol().equals("jar")) {
            URLConnection connection = url.openConnection();
            return connection instanceof JarURLConnection jar ? Path.of(jar.getJarFileURL().toURI()) : null;
        }
        if (url.getProtocol().equals("file")) {
            Path root = Path.of(url.toURI());
            for (int i = 0; i < anchor.split("/").length; i++) {
                root = root.getParent();
            }
            return root;
        }
        return null;
    }

    private static void ofFolder(Path root, String pkg, Hash digest) throws IOException {
        Path dir = root.resolve(pkg);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> relative(root, p))).toList();
        }
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            entry(digest, relative(root, file), content.length, crc(content));
        }
    }

    private static void ofJar(Path jarFile, String pkg, Hash digest) throws IOException {
        try (JarFile jar = new JarFile(jarFile.toFile())) {
            List<JarEntry> entries = jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(pkg))
                    .sorted(Comparator.comparing(JarEntry::getName)).toList();
            for (JarEntry entry : entries) {
                if (entry.getCrc() != -1 && entry.getSize() >= 0) {
                    // The uncompressed size and CRC-32 from the jar's directory: nothing to inflate (reading and
                    // hashing every class cost ~0.3 s at start-up).
                    entry(digest, entry.getName(), entry.getSize(), entry.getCrc());
                } else {
                    try (InputStream in = jar.getInputStream(entry)) {
                        byte[] content = in.readAllBytes();
                        entry(digest, entry.getName(), content.length, crc(content));
                    }
                }
            }
        }
    }

    /**
     * One file of the code: its name, size and CRC-32, the same whether it sits in a classes folder or a jar, so a
     * build that runs its tests on classes folders and its applications on jars keys both alike.
     */
    private static void entry(Hash digest, String name, long size, long crc) {
        text(digest, name);
        text(digest, size + " " + Long.toHexString(crc));
    }

    private static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static void text(Hash digest, String value) {
        bytes(digest, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(Hash digest, byte[] value) {
        // Length-prefixed, so that no two different sequences of names and contents digest the same bytes.
        digest.update(ByteBuffer.allocate(4).putInt(value.length).array());
        digest.update(value);
    }

    /**
     * FNV-1a over 64 bits: enough to tell versions of the code apart, and unlike SHA-256 free of the JDK's security
     * providers, whose set-up cost every CLI start 60-80 ms.
     */
    private static final class Hash {
        private long state = 0xcbf29ce484222325L;

        void update(byte[] bytes) {
            for (byte b : bytes) {
                state = (state ^ (b & 0xff)) * 0x100000001b3L;
            }
        }

        String hex() {
            return HexFormat.of().toHexDigits(state);
        }
    }
}
