package org.bert4j.convert;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Creates a folder all at once: the content is written into a temporary sibling, which is renamed to the
 * target at the end. An interrupted run leaves only a {@code .<name>.tmp-*} folder behind, never a
 * half-written model under the real name.
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
        if (Files.exists(absolute) && !overwrite) {
            throw new ConversionException(target + " already exists (choose another output folder or allow overwriting)");
        }
        Files.createDirectories(parent);
        String name = absolute.getFileName().toString();
        Path staging = parent.resolve("." + name + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(staging);
        try {
            content.writeInto(staging);
            if (Files.exists(absolute)) {
                // A directory cannot be atomically replaced by another: move the old one aside first.
                Path old = parent.resolve("." + name + ".old-" + UUID.randomUUID());
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
