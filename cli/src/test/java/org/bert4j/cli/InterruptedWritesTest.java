package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL (no shutdown hook, no finally block runs) hits {@code embed --output}, {@code convert --out} and
 * {@code train --out} at random points: while the JVM starts and loads, and while it writes (just after its temporary
 * file or folder appears). Whatever the point, the final name is absent or holds the whole output, and a rerun beside
 * the leftovers succeeds and clears them (it found every killed conversion leaving its 90 MB temporary folder behind). The kill points come from a fixed seed; where they land depends on the machine's speed, and
 * the claim holds at every point, so the outcome does not.
 */
class InterruptedWritesTest {
    static final long SEED = 20;
    static final int EMBED_LINES = 5_000;

    @TempDir
    static Path dir;
    static Path model;
    static Path texts;
    static Path news;

    @BeforeAll
    static void inputs() throws Exception {
        model = TinyModel.in(dir.resolve("tiny"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < EMBED_LINES; i++) {
            lines.add("sentence " + i + " about " + ChildProcessPipesTest.text(i));
        }
        texts = Files.write(dir.resolve("texts.txt"), lines);
        String shared = System.getProperty("bert4j.sharedData");
        try (Stream<String> rows = Files.lines(Path.of(shared, "news_category_first8000.jsonl"))) {
            news = Files.write(dir.resolve("news.jsonl"), rows.limit(2000).toList());
        }
    }

    /** How one command writes, and how to tell its output is whole. */
    interface Scenario {
        List<String> args(Path out);

        /** True when the temporary output has appeared beside {@code out}: the writing has begun. */
        boolean writing(Path out) throws IOException;

        /** Fails unless {@code out} holds the command's whole output. */
        void assertWhole(Path out) throws Exception;
    }

    static boolean sibling(Path out, Predicate<String> name) throws IOException {
        try (Stream<Path> files = Files.list(out.toAbsolutePath().getParent())) {
            return files.anyMatch(p -> name.test(p.getFileName().toString()));
        }
    }

    /** Kills {@code scenario}'s command twice at random points, checking what is left each time, then reruns it. */
    static void killTwiceThenRerun(String name, Scenario scenario) throws Exception {
        Random random = new Random(SEED + name.hashCode());
        Path out = Files.createDirectories(dir.resolve(name)).resolve("output");
        List<String> log = new ArrayList<>();
        for (int kill = 0; kill < 2; kill++) {
            Process child = ChildCli.command(List.of("-Xmx512m"), scenario.args(out))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve(name + kill + ".err").toFile()).start();
            try {
                if (kill == 0) {
                    // Anywhere from the JVM's start through loading and computing.
                    child.waitFor(random.nextInt(1500), TimeUnit.MILLISECONDS);
                } else {
                    // While writing: soon after the temporary output appears.
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    while (child.isAlive() && !scenario.writing(out) && System.nanoTime() < deadline) {
                        Thread.sleep(2);
                    }
                    child.waitFor(random.nextInt(40), TimeUnit.MILLISECONDS);
                }
                log.add("kill " + kill + ": " + (child.isAlive() ? "killed" : "had already exited " + child.exitValue()));
            } finally {
                child.destroyForcibly();   // SIGKILL
                child.waitFor();
            }
            if (Files.exists(out)) {
                scenario.assertWhole(out);   // a run that finished before the kill: whole, as it must be
                deleteTree(out);             // the rerun below must write it again
            }
        }
        Process rerun = ChildCli.command(List.of("-Xmx512m"), scenario.args(out)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve(name + ".rerun.err").toFile()).start();
        assertTrue(rerun.waitFor(3, TimeUnit.MINUTES), name + ": the rerun did not finish");
        assertEquals(0, rerun.exitValue(), name + " rerun beside the leftovers (" + log + "): "
                + Files.readString(dir.resolve(name + ".rerun.err")));
        scenario.assertWhole(out);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of("output"), files.map(p -> p.getFileName().toString()).toList(),
                    name + ": the killed runs' temporary files are gone after the rerun (" + log + ")");
        }
        System.out.println("interrupted " + name + ": " + log + ", then a whole rerun");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void embedOutputAppearsOnlyWhole() throws Exception {
        killTwiceThenRerun("embed", new Scenario() {
            public List<String> args(Path out) {
                return List.of("embed", "--model", model.toString(), "--input", texts.toString(), "--output", out.toString(),
                        "--batch-size", "16");
            }

            public boolean writing(Path out) throws IOException {
                return sibling(out, n -> n.equals("output.incomplete"));
            }

            public void assertWhole(Path out) throws IOException {
                List<String> rows = Files.readAllLines(out, StandardCharsets.UTF_8);
                assertEquals(EMBED_LINES, rows.size(), "every text's row");
                for (int i = 0; i < rows.size(); i++) {
                    assertEquals(i, JsonParser.parseString(rows.get(i)).getAsJsonObject().get("index").getAsInt());
                }
            }
        });
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void convertOutputAppearsOnlyWhole() throws Exception {
        killTwiceThenRerun("convert", new Scenario() {
            public List<String> args(Path out) {
                return List.of("convert", "all-MiniLM-L6-v2", "--out", out.toString());
            }

            public boolean writing(Path out) throws IOException {
                return sibling(out, n -> n.startsWith(".output.tmp-"));
            }

            public void assertWhole(Path out) throws Exception {
                for (String file : List.of("config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json",
                        "modules.json", "1_Pooling/config.json")) {
                    assertTrue(Files.size(out.resolve(file)) > 0, file);
                }
                JsonParser.parseString(Files.readString(out.resolve("config.json")));
                // Every tensor whole: the same bytes as the converter's own output in this JVM's cache.
                Path reference = org.bert4j.convert.BundledModels.defaultModel();
                try (SafetensorsFile written = SafetensorsFile.open(out.resolve("model.safetensors"));
                        SafetensorsFile expected = SafetensorsFile.open(reference.resolve("model.safetensors"))) {
                    assertEquals(expected.tensors().size(), written.tensors().size());
                    for (TensorInfo info : expected.tensors()) {
                        assertArrayEquals(expected.segment(info.name()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                                written.segment(info.name()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), info.name());
                    }
                }
            }
        });
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void trainOutputAppearsOnlyWhole() throws Exception {
        killTwiceThenRerun("train", new Scenario() {
            public List<String> args(Path out) {
                return List.of("train", "--model", model.toString(), "--data", news.toString(), "--text-columns", "headline",
                        "--label-column", "category", "--epochs", "15", "--feature-cache", "none", "--out", out.toString());
            }

            public boolean writing(Path out) throws IOException {
                return sibling(out, n -> n.equals(".output.incomplete"));
            }

            public void assertWhole(Path out) throws Exception {
                JsonParser.parseString(Files.readString(out.resolve("metrics.json")));
                try (MultiTaskModel heads = MultiTaskModel.load(out, BertBackbone.open(model, 256, EngineOptions.defaults()))) {
                    assertEquals(1, heads.heads().size());
                    assertEquals(1, heads.classify(List.of("a headline"), "classification").size());
                }
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
