package org.bert4j.engine.jvm;

import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without the engine's options fails at {@code BertModel.load} with one error naming exactly the
 * missing ones, before it looks at the model folder; with both options the same program loads the model.
 * Each case is a child JVM, since the options are fixed when a JVM starts.
 */
class JvmRequirementsTest {

    private static final String VECTOR = "--add-modules=jdk.incubator.vector";
    private static final String NATIVE = "--enable-native-access=ALL-UNNAMED";

    @TempDir
    Path dir;

    @Test
    void withoutEitherOptionTheErrorNamesBothBeforeReadingTheFolder() throws Exception {
        // A folder that does not exist: had load looked at it first, the error would be about the folder.
        String out = run(List.of(), dir.resolve("absent"));
        assertTrue(out.startsWith("failed java.lang.IllegalStateException: "), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertFalse(out.contains("absent"), out);
    }

    @Test
    void withoutTheVectorModuleOnlyThatOptionIsNamed() throws Exception {
        String out = run(List.of(NATIVE), dir.resolve("absent"));
        assertTrue(out.startsWith("failed java.lang.IllegalStateException: "), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertFalse(out.contains("--enable-native-access"), out);
    }

    @Test
    void withoutNativeAccessOnlyThatOptionIsNamed() throws Exception {
        String out = run(List.of(VECTOR), dir.resolve("absent"));
        assertTrue(out.startsWith("failed java.lang.IllegalStateException: "), out);
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertFalse(out.contains("--add-modules"), out);
    }

    @Test
    void withBothOptionsTheModelLoads() throws Exception {
        Path model = RandomCheckpoint.write(dir.resolve("tiny"), BertConfig.of(100, 32, 2, 4, 64), 42, 0.2, false);
        assertEquals("loaded 2 layers", run(List.of(VECTOR, NATIVE), model));
        // And the same folder without the options is refused by the check, not by a NoClassDefFoundError later.
        String refused = run(List.of(), model);
        assertTrue(refused.startsWith("failed java.lang.IllegalStateException: bert4j cannot load a model"), refused);
    }

    /** Runs {@link LoadOneModel} in a fresh JVM (this one's java and classpath) and returns its line of output. */
    private static String run(List<String> jvmOptions, Path model) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoadOneModel.class.getName());
        command.add(model.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        return out;
    }
}
