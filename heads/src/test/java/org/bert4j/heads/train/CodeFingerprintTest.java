package org.bert4j.heads.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature-cache keys name the code by its contents: an engine whose class files changed gets another key (so
 * NewsCategoryTest and 'bert4j train' compute its features instead of replaying the old engine's), the same bytes
 * the same key whatever their timestamps, and the heads' training code, which does not touch features, is left out.
 */
class CodeFingerprintTest {
    @TempDir
    Path dir;

    static final List<String> ANCHORS = List.of("org/bert4j/engine/BertModel.class", "org/bert4j/tokenizer/BertTokenizer.class",
            "org/bert4j/folder/BertConfig.class", "org/bert4j/safetensors/SafetensorsFile.class",
            "org/bert4j/heads/train/FeatureExtractor.class");

    /** Copies the folder or jar holding {@code anchor} into {@code into} as a classes folder. */
    static Path copyOfModule(String anchor, Path into) throws Exception {
        URL url = CodeFingerprintTest.class.getClassLoader().getResource(anchor);
        Path root = CodeFingerprint.root(url, anchor);
        Files.createDirectories(into);
        if (Files.isDirectory(root)) {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    Path target = into.resolve(root.relativize(p).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                for (JarEntry entry : jar.stream().filter(e -> !e.isDirectory()).toList()) {
                    Path target = into.resolve(entry.getName());
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.write(target, in.readAllBytes());
                    }
                }
            }
        }
        return into;
    }

    /** A loader that sees only copies of the five modules (plus the JDK), so no other copy of them is found. */
    static URLClassLoader loaderOver(List<Path> roots) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path root : roots) {
            urls.add(root.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), null);
    }

    @Test
    void aChangedEngineClassChangesTheFingerprintAndNewTimestampsDoNot() throws Exception {
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < ANCHORS.size(); i++) {
            roots.add(copyOfModule(ANCHORS.get(i), dir.resolve("module" + i)));
        }
        String original;
        try (URLClassLoader loader = loaderOver(roots)) {
            original = CodeFingerprint.compute(loader);
        }
        // The same bytes, new modification times everywhere: the same key.
        for (Path root : roots) {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(946_684_800_000L));
                }
            }
        }
        try (URLClassLoader loader = loaderOver(roots)) {
            assertEquals(original, CodeFingerprint.compute(loader));
        }
        // One byte of one engine class changed, as any edit to the engine changes some: another key.
        Path kernel = roots.getFirst().resolve("org/bert4j/engine/Normalize.class");
        byte[] bytes = Files.readAllBytes(kernel);
        bytes[bytes.length - 1] ^= 1;
        Files.write(kernel, bytes);
        try (URLClassLoader loader = loaderOver(roots)) {
            assertNotEquals(original, CodeFingerprint.compute(loader));
        }
    }

    @Test
    void onlyTheHeadsClassesThatMakeFeaturesCount() {
        assertTrue(CodeFingerprint.computesFeatures("org/bert4j/heads/train/FeatureExtractor.class"));
        assertTrue(CodeFingerprint.computesFeatures("org/bert4j/heads/train/FeatureExtractor$Request.class"));
        assertTrue(CodeFingerprint.computesFeatures("org/bert4j/heads/BertBackbone.class"));
        assertTrue(CodeFingerprint.computesFeatures("org/bert4j/heads/ClassificationHead.class"));
        assertTrue(CodeFingerprint.computesFeatures("org/bert4j/heads/ner/TokenLabels.class"));
        assertFalse(CodeFingerprint.computesFeatures("org/bert4j/heads/train/Trainer.class"));
        assertFalse(CodeFingerprint.computesFeatures("org/bert4j/heads/train/AdamW.class"));
        assertFalse(CodeFingerprint.computesFeatures("org/bert4j/heads/metrics/EntityMetrics.class"));
    }

    @Test
    void theRunningCodesFingerprintIsASha256() {
        assertEquals(64, CodeFingerprint.current().length());
        HexFormat.of().parseHex(CodeFingerprint.current());
        assertEquals(CodeFingerprint.current(), CodeFingerprint.compute(CodeFingerprint.class.getClassLoader()));
    }
}
