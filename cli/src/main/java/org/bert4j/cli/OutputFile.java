package org.bert4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written under a temporary name ({@code NAME.incomplete}) and renamed to its real name only
 * when the work has finished, so an interrupted run never leaves a truncated file that looks complete.
 */
public final class OutputFile {
    private final Path target;
    private final Path partial;

    private OutputFile(Path target) {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".incomplete");
    }

    /**
     * Prepares to write {@code target}; fails early, as a usage error of {@code command}, when its folder does not
     * exist or cannot be written, or when it names a folder: checked before any model loads.
     */
    public static OutputFile of(String command, Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(command + ": output folder does not exist: " + parent);
        }
        if (Files.isDirectory(target)) {
            throw new UsageException(command + ": output path is a folder: " + target);
        }
        if (parent != null && !Files.isWritable(parent)) {
            throw new UsageException(command + ": cannot write into the output folder: " + parent);
        }
        return new OutputFile(target);
    }

    /** The temporary file the work writes into. */
    public Path partial() {
        return partial;
    }

    public Path target() {
        return target;
    }

    public OutputStream open() throws IOException {
        return Files.newOutputStream(partial);
    }

    /** Moves the finished file to its real name. */
    public void commit() throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
