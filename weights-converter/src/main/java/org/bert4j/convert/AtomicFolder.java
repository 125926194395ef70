package org.bert4j.convert;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Creates a folder all at once: the content is written into a temporary sibling, which is renamed to the
 * target at the end. An interrupted run never leaves a half-written model under the real name.
 *
 * <p>Each run holds a lock on a sibling file {@code .<name>.<id>.lock} while it works, and the operating system drops
 * the lock when the process dies, even by SIGKILL. The next run for the same target finds the locks nobody holds and
 * cleans up after the dead runs: it deletes their temporary folder {@code .<name>.tmp-<id>} (a model's worth of disk)
 * and, when one died between moving the old folder aside ({@code .<name>.old-<id>}) and renaming the new one into
 * place, puts the old folder back, so a replacement that did not finish leaves the previous model where it was.
 */
final class AtomicFolder {

    /** Writes the folder's content into the (empty, existing) directory it is given. */
    @FunctionalInterface
    interface Content {
        void writeInto(Path staging) throws IOException;
    }

    private AtomicFolder() {}

    static Path create(Path target, boolean overwrite, Content content) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new ConversionException("cannot write a model to the file-system root");
        }
        Files.createDirectories(parent);
        String name = absolute.getFileName().toString();
        String id = UUID.randomUUID().toString();
        Path lockFile = parent.resolve("." + name + "." + id + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            recoverAbandoned(parent, name, absolute);
            if (Files.exists(absolute) && !overwrite) {
                throw new ConversionException(target + " already exists (choose another output folder or allow overwriting)");
            }
            return replace(absolute, parent.resolve("." + name + ".tmp-" + id), parent.resolve("." + name + ".old-" + id),
                    content);
        } finally {
            Files.deleteIfExists(lockFile);
        }
    }

    private static Path replace(Path absolute, Path staging, Path old, Content content) throws IOException {
        Files.createDirectory(staging);
        try {
            content.writeInto(staging);
            if (Files.exists(absolute)) {
                // A directory cannot be atomically replaced by another: move the old one aside first.
                move(absolute, old);
                move(staging, absolute);
                deleteRecursively(old);
            } else {
                move(staging, absolute);
            }
            return absolute;
        } catch (IOException | RuntimeException | Error e) {
            try {
                deleteRecursively(staging);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Cleans up after earlier runs for {@code target} whose lock nobody holds any more: their process has died. */
    private static void recoverAbandoned(Path parent, String name, Path target) throws IOException {
        String prefix = "." + name + ".";
        List<Path> locks;
        try (Stream<Path> siblings = Files.list(parent)) {
            locks = siblings.filter(p -> {
                String file = p.getFileName().toString();
                return file.startsWith(prefix) && file.endsWith(".lock") && file.length() > prefix.length() + 5;
            }).toList();
        }
        for (Path lock : locks) {
            String file = lock.getFileName().toString();
            String id = file.substring(prefix.length(), file.length() - ".lock".length());
            if (!isUuid(id)) {
                continue;   // not one of ours (BundledModels keeps its own .<name>.lock)
            }
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                FileLock held;
                try {
                    held = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    continue;   // a run in this JVM holds it
                }
                if (held == null) {
                    continue;   // another process is still at work
                }
                try (held) {
                    Path old = parent.resolve("." + name + ".old-" + id);
                    if (Files.exists(old) && !Files.exists(target)) {
                        move(old, target);   // the replacement died half-way: the previous model stays
                    } else {
                        deleteRecursively(old);
                    }
                    deleteRecursively(parent.resolve("." + name + ".tmp-" + id));
                }
                Files.deleteIfExists(lock);
            } catch (NoSuchFileException e) {
                // its own run finished and removed it meanwhile
            }
        }
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new ConversionException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
