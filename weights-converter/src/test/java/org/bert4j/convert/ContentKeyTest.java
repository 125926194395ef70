package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted-model cache's keys name things by their contents: the converter's code (a changed class gives another
 * key, the same bytes with other timestamps the same key) and a model file in a jar or a folder.
 */
class ContentKeyTest {

    @TempDir
    Path dir;

    private static final List<String> ANCHORS = List.of("org/bert4j/convert/ModelConverter.class",
            "org/bert4j/safetensors/SafetensorsFile.class", "org/bert4j/folder/BertConfig.class");

    @Test
    void aChangedConverterClassChangesTheKeyAndNewTimestampsDoNot() throws Exception {
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < ANCHORS.size(); i++) {
            roots.add(copyOfModule(ANCHORS.get(i), dir.resolve("module" + i)));
        }
        String original = keyOver(roots);
        assertEquals(16, original.length());
        for (Path root : roots) {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(946_684_800_000L));
                }
            }
        }
        assertEquals(original, keyOver(roots), "the same bytes, other timestamps: the same key");
        // One byte of one class in a subpackage of the converter (the ONNX importer): another key.
        Path importer = roots.getFirst().resolve("org/bert4j/convert/onnx/OnnxBertImporter.class");
        byte[] bytes = Files.readAllBytes(importer);
        bytes[bytes.length - 1] ^= 1;
        Files.write(importer, bytes);
        String changed = keyOver(roots);
        assertNotEquals(original, changed);
        // So does the safetensors writer; a file outside the three packages does not count.
        Path writer = roots.get(1).resolve("org/bert4j/safetensors/SafetensorsWriter.class");
        byte[] w = Files.readAllBytes(writer);
        w[w.length - 1] ^= 1;
        Files.write(writer, w);
        assertNotEquals(changed, keyOver(roots));
        String withWriter = keyOver(roots);
        Files.writeString(roots.getFirst().resolve("unrelated.txt"), "not converter code");
        assertEquals(withWriter, keyOver(roots));
    }

    @Test
    void jarsKeyAsTheirClassesFoldersDoWhateverTheEntryDates() throws Exception {
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < ANCHORS.size(); i++) {
            roots.add(copyOfModule(ANCHORS.get(i), dir.resolve("module" + i)));
        }
        String original = keyOver(jars(roots, "a", 0L));
        assertEquals(keyOver(roots), original, "jars key as the classes folders they were packed from");
        assertEquals(original, keyOver(jars(roots, "b", 1_000_000_000_000L)), "other entry dates: the same key");
        Path importer = roots.getFirst().resolve("org/bert4j/convert/onnx/OnnxBertImporter.class");
        byte[] bytes = Files.readAllBytes(importer);
        bytes[bytes.length - 1] ^= 1;
        Files.write(importer, bytes);
        assertNotEquals(original, keyOver(jars(roots, "c", 0L)));
        // All three packages in one jar (an application's fat jar) give the key of their own jars.
        Path fat = dir.resolve("fat.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(fat))) {
            for (Path root : roots) {
                addTree(out, root, 0L);
            }
            JarEntry other = new JarEntry("com/example/App.class");
            out.putNextEntry(other);
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        assertEquals(keyOver(jars(roots, "d", 0L)), keyOver(List.of(fat, fat, fat)));
    }

    /** Each classes folder packed into its own jar, entries dated {@code time}. */
    private List<Path> jars(List<Path> roots, String tag, long time) throws Exception {
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            Path jar = dir.resolve(tag + i + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                addTree(out, roots.get(i), time);
            }
            jars.add(jar);
        }
        return jars;
    }

    private static void addTree(JarOutputStream out, Path root, long time) throws Exception {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (name.startsWith("META-INF/")) {
                    continue;   // every module has its own LICENSE there; not converter code either way
                }
                JarEntry entry = new JarEntry(name);
                entry.setTime(time);
                out.putNextEntry(entry);
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
    }

    @Test
    void theRunningConverterHasOneKey() {
        assertEquals(ContentKey.converter(), ContentKey.converter(ContentKey.class.getClassLoader()));
        assertEquals(16, ContentKey.converter().length());
    }

    @Test
    void aResourceIsKeyedByItsBytesInAJarOrAFolder() throws Exception {
        byte[] model = "an onnx file".getBytes();
        byte[] other = "an onnx filf".getBytes(); // the same size, one byte apart
        String a = ContentKey.ofResource(jarEntry(dir.resolve("a.jar"), model, 0L));
        assertEquals("size 12 crc32 ", a.substring(0, 14));
        assertEquals(a, ContentKey.ofResource(jarEntry(dir.resolve("b.jar"), model, 1_000_000_000_000L)),
                "the same bytes with another entry date");
        assertNotEquals(a, ContentKey.ofResource(jarEntry(dir.resolve("c.jar"), other, 0L)));
        Path file = Files.write(dir.resolve("m.onnx"), model);
        String onDisk = ContentKey.ofResource(file.toUri().toURL());
        assertTrue(onDisk.startsWith("size 12 crc32 "), onDisk);
        Files.write(file, other);
        assertNotEquals(onDisk, ContentKey.ofResource(file.toUri().toURL()));
    }

    /** A jar holding {@code bytes} as m.onnx with the given entry time; the URL of that entry. */
    private static URL jarEntry(Path jar, byte[] bytes, long time) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            JarEntry entry = new JarEntry("m.onnx");
            entry.setTime(time);
            out.putNextEntry(entry);
            out.write(bytes);
            out.closeEntry();
        }
        return URI.create("jar:" + jar.toUri() + "!/m.onnx").toURL();
    }

    private static String keyOver(List<Path> roots) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path root : roots) {
            urls.add(root.toUri().toURL());
        }
        // No parent: only the copies are found, not this JVM's own converter classes.
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            return ContentKey.converter(loader);
        }
    }

    /** Copies the classes folder or jar holding {@code anchor} into {@code into} as a classes folder. */
    private static Path copyOfModule(String anchor, Path into) throws Exception {
        URL url = ContentKeyTest.class.getClassLoader().getResource(anchor);
        Path root = ContentKey.root(url, anchor);
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
}
