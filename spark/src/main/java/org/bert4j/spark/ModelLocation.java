package org.bert4j.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.bert4j.convert.BundledModels;
import org.bert4j.heads.BertBackbone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds, on an executor, the folder an option names. Three ways reach every executor: a path on storage they all
 * mount, a folder shipped with {@code SparkContext.addFile(dir, true)} (Spark copies it into each executor's
 * {@link SparkFiles} root under its last name), and {@code bundled:NAME}, a model whose jar is on the classpath.
 */
final class ModelLocation {

    private ModelLocation() {
    }

    /**
     * The folder {@code location} names on this JVM: the path itself when it is a folder here, else the shipped
     * folder of that name (or of the path's last name, so one string works in local mode and on a cluster).
     * {@code what} ("model", "heads") goes into the error.
     */
    static Path resolve(String what, String location) throws IOException {
        if (location.startsWith(BertBackbone.BUNDLED)) {
            return BundledModels.ensure(location.substring(BertBackbone.BUNDLED.length()));
        }
        Path path;
        try {
            path = Path.of(location);
        } catch (InvalidPathException e) {
            throw new IOException(what + " folder '" + location + "' is not a valid path: " + e.getMessage(), e);
        }
        if (Files.isDirectory(path)) {
            return path.toAbsolutePath().normalize();
        }
        String shippedRoot = shippedRoot();
        if (shippedRoot != null && path.getFileName() != null) {
            Path shipped = Path.of(shippedRoot).resolve(path.getFileName().toString());
            if (Files.isDirectory(shipped)) {
                return shipped;
            }
        }
        throw new IOException(what + " folder '" + location + "' is neither a folder on this machine nor a folder"
                + " shipped with SparkContext.addFile(dir, true)"
                + (shippedRoot == null ? "" : " (looked in " + shippedRoot + ")"));
    }

    /** The folder shipped files land in on this JVM, or null outside a running Spark application. */
    private static String shippedRoot() {
        return SparkEnv.get() == null ? null : SparkFiles.getRootDirectory();
    }
}
