package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default model appears once, atomically, whoever asks first (threads or other JVMs), then costs milliseconds; a
 * folder made by other converter code or from other model bytes is converted afresh.
 */
class BundledModelsTest {

    @TempDir
    Path cache;

    @Test
    void concurrentThreadsAndJvmsShareOneConversionAndLaterCallsAreFast() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BundledModelsChild.class.getName(),
                    "all-MiniLM-L6-v2", cache.toString()).redirectErrorStream(true).start());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                threads.add(pool.submit(() -> BundledModels.ensure("all-MiniLM-L6-v2", cache)));
            }
            Path expected = cache.resolve("models").resolve("all-MiniLM-L6-v2");
            for (Future<Path> f : threads) {
                assertEquals(expected, f.get(5, TimeUnit.MINUTES));
            }
            for (Process p : children) {
                assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM finished");
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertEquals(0, p.exitValue(), output);
                assertTrue(output.endsWith(expected.toString()), output);
            }
        } finally {
            pool.shutdownNow();
            children.forEach(Process::destroyForcibly);
        }
        Path dir = cache.resolve("models").resolve("all-MiniLM-L6-v2");
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertEquals(List.of(".all-MiniLM-L6-v2.lock", "all-MiniLM-L6-v2"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary folder is left behind");
        }
        for (String file : List.of("model.safetensors", "config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json",
                "modules.json", "1_Pooling/config.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
        // A cached model is returned as it is: nothing is converted or written again.
        var written = Files.getLastModifiedTime(dir.resolve("model.safetensors"));
        var marker = Files.getLastModifiedTime(dir.resolve(".bert4j-converted"));
        for (int i = 0; i < 10; i++) {
            assertEquals(dir, BundledModels.ensure("all-minilm-l6-v2", cache));
        }
        assertEquals(written, Files.getLastModifiedTime(dir.resolve("model.safetensors")));
        assertEquals(marker, Files.getLastModifiedTime(dir.resolve(".bert4j-converted")));
    }

    @Test
    void aFolderFromAnOlderConverterIsConvertedAgain() throws IOException {
        Path dir = BundledModels.ensure("all-MiniLM-L6-v2", cache);
        Files.writeString(dir.resolve(".bert4j-converted"), "bert4j-model-folder 0\n");
        Files.writeString(dir.resolve("config.json"), "{}");
        BundledModels.ensure("all-MiniLM-L6-v2", cache);
        assertTrue(Files.readString(dir.resolve("config.json")).contains("num_hidden_layers"));
    }

    @Test
    void aFolderMadeByOtherConverterCodeIsConvertedAfreshAndTheSameCodeReusesIt() throws IOException {
        Path dir = BundledModels.ensure("all-MiniLM-L6-v2", cache, "a".repeat(64));
        Object made = fileKey(dir.resolve("model.safetensors"));
        assertEquals(dir, BundledModels.ensure("all-MiniLM-L6-v2", cache, "a".repeat(64)));
        assertEquals(made, fileKey(dir.resolve("model.safetensors")), "the same key: the folder is served as it is");
        // Another converter (one changed byte in any of its classes gives another hash: ContentKeyTest).
        assertEquals(dir, BundledModels.ensure("all-MiniLM-L6-v2", cache, "b".repeat(64)));
        assertNotEquals(made, fileKey(dir.resolve("model.safetensors")), "another key: converted afresh");
        assertTrue(Files.readString(dir.resolve(".bert4j-converted")).contains("converter fnv64 " + "b".repeat(64)));
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertEquals(List.of(".all-MiniLM-L6-v2.lock", "all-MiniLM-L6-v2"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "replaced atomically: no temporary or old folder is left behind");
        }
    }

    @Test
    void theMarkerNamesTheRunningConverterAndTheModelsBytes() throws Exception {
        Path dir = BundledModels.ensure("all-MiniLM-L6-v2", cache);
        String marker = Files.readString(dir.resolve(".bert4j-converted"));
        assertTrue(marker.contains("converter fnv64 " + ContentKey.converter() + "\n"), marker);
        // The jar's size and CRC-32 for the ONNX file agree with its bytes, computed here independently.
        byte[] onnx;
        try (var in = BundledModels.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            onnx = in.readAllBytes();
        }
        CRC32 crc = new CRC32();
        crc.update(onnx);
        assertTrue(marker.contains("all-minilm-l6-v2.onnx size " + onnx.length + " crc32 " + String.format("%08x", crc.getValue())),
                marker);
        // A folder made from other bytes of the model (a marker naming another CRC) is converted afresh.
        Object made = fileKey(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve(".bert4j-converted"), marker.replace(String.format("crc32 %08x", crc.getValue()), "crc32 00000000"));
        BundledModels.ensure("all-MiniLM-L6-v2", cache);
        assertNotEquals(made, fileKey(dir.resolve("model.safetensors")));
        assertEquals(marker, Files.readString(dir.resolve(".bert4j-converted")));
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @Test
    void unknownNamesAndTheCacheRootAreExplained() {
        ConversionException e = assertThrows(ConversionException.class, () -> BundledModels.ensure("gpt-2", cache));
        assertTrue(e.getMessage().contains("all-MiniLM-L6-v2"), e.getMessage());
        assertTrue(BundledModels.isAvailable("bge-small-en-v1.5"));
        assertEquals(List.of("all-MiniLM-L6-v2", "all-MiniLM-L6-v2-q", "bge-small-en-v1.5", "e5-small-v2"), BundledModels.names());
        // Surefire sets bert4j.cacheDir; without BERT4J_CACHE_DIR in the environment that is the root.
        if (System.getenv("BERT4J_CACHE_DIR") == null) {
            assertEquals(Path.of(System.getProperty("bert4j.cacheDir")).toAbsolutePath(), BundledModels.cacheRoot());
        }
    }
}
