package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run killed half-way leaves (found by the CLI's InterruptedWritesTest: every killed conversion left a
 * {@code .NAME.tmp-*} folder, 90 MB for MiniLM, forever) is cleaned up by the next run for the same folder, and a
 * replacement killed between its two renames leaves the previous folder in place. The leftovers are made here as a
 * killed run leaves them: a lock file nobody holds beside them.
 */
class AtomicFolderTest {
    @TempDir
    Path dir;

    List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The files a run with {@code id} killed after writing part of its folder leaves. */
    Path abandoned(String id, String part) throws IOException {
        Files.writeString(dir.resolve(".model." + id + ".lock"), "");
        Path staging = Files.createDirectories(dir.resolve(".model.tmp-" + id));
        Files.writeString(staging.resolve("model.safetensors"), part);
        return staging;
    }

    @Test
    void aDeadRunsTemporaryFolderIsRemovedByTheNextRun() throws IOException {
        abandoned(UUID.randomUUID().toString(), "half a model");
        Path written = AtomicFolder.create(dir.resolve("model"), false, out -> Files.writeString(out.resolve("config.json"), "{}"));
        assertEquals(List.of("model"), names());
        assertEquals("{}", Files.readString(written.resolve("config.json")));
    }

    @Test
    void aReplacementKilledBetweenItsRenamesLeavesThePreviousFolder() throws IOException {
        String id = UUID.randomUUID().toString();
        abandoned(id, "the new model, whole");
        Path old = Files.createDirectories(dir.resolve(".model.old-" + id));
        Files.writeString(old.resolve("config.json"), "previous");
        // Without overwriting, the restored previous folder is simply there.
        assertThrows(ConversionException.class, () -> AtomicFolder.create(dir.resolve("model"), false, out -> { }));
        assertEquals(List.of("model"), names());
        assertEquals("previous", Files.readString(dir.resolve("model/config.json")));
    }

    @Test
    void aRunStillAtWorkIsLeftAlone() throws IOException {
        String id = UUID.randomUUID().toString();
        Path staging = abandoned(id, "being written");
        try (FileChannel channel = FileChannel.open(dir.resolve(".model." + id + ".lock"), StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            AtomicFolder.create(dir.resolve("other-name-same-folder"), false, out -> { });
            AtomicFolder.create(dir.resolve("model"), false, out -> { });
            assertTrue(held.isValid());
            assertTrue(Files.isDirectory(staging), "a live run's folder is not touched");
        }
        // Once its lock is free, the next run cleans up.
        AtomicFolder.create(dir.resolve("model"), true, out -> { });
        assertEquals(List.of("model", "other-name-same-folder"), names());
    }

    @Test
    void lockFilesThatAreNotOursAreNotTouched() throws IOException {
        Files.writeString(dir.resolve(".model.lock"), "");          // BundledModels' own
        Files.writeString(dir.resolve(".model.notes.lock"), "");    // not a run id
        AtomicFolder.create(dir.resolve("model"), false, out -> { });
        assertEquals(List.of(".model.lock", ".model.notes.lock", "model"), names());
    }
}
