package org.bert4j.engine.kernels;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code libopenblas.so.0} that JavaCPP extracted from the openblas platform jar on an earlier run, when it
 * is there whole: opening it directly skips JavaCPP's loader, which costs 350–430 ms at every JVM start here
 * (it scans for and loads its own 23 MB JNI library, which bert4j never calls, besides OpenBLAS itself). The
 * library's RUNPATH is {@code $ORIGIN}, so its bundled dependencies (libgfortran) load from beside it.
 *
 * <p>Only Linux x86-64 is looked up this way; elsewhere, and on a first run, JavaCPP's loader does the work.
 */
final class ExtractedOpenBlas {
    private ExtractedOpenBlas() {}

    private static final String LIBRARY = "libopenblas.so.0";

    /** The extracted library, when JavaCPP's cache holds a complete copy of the one in the platform jar. */
    static Optional<Path> find() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.empty();
        }
        String entry = "org/bytedeco/openblas/linux-x86_64/" + LIBRARY;
        URL url = ExtractedOpenBlas.class.getClassLoader().getResource(entry);
        if (url == null || !url.getProtocol().equals("jar")) {
            return Optional.empty();
        }
        try {
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return Optional.empty();
            }
            // JavaCPP's cache layout: <cache dir>/<platform jar's file name>/<entry>.
            String jarName = Path.of(jar.getJarFileURL().toURI()).getFileName().toString();
            Path cached = cacheDir().resolve(jarName).resolve(entry);
            long expected = jar.getJarEntry().getSize();
            return Files.isRegularFile(cached) && expected > 0 && Files.size(cached) == expected
                    ? Optional.of(cached) : Optional.empty();
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return Optional.empty();   // anything unexpected: let JavaCPP's loader handle it
        }
    }

    /** JavaCPP's cache directory: its system property, else ~/.javacpp/cache. */
    static Path cacheDir() {
        String configured = System.getProperty("org.bytedeco.javacpp.cachedir");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".javacpp", "cache");
    }
}
