package org.bert4j.engine.kernels;

import org.bert4j.folder.CacheRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The GEMM backend timings of one machine, kept in a small text file beside the converted models
 * ({@code <cache>/gemm/}) so that only the first model loaded on a machine pays for {@link BackendTiming}. A file
 * holds the {@link Key} it was measured under and is used only when the key still matches: another CPU, JDK,
 * bert4j build, OpenBLAS core (e.g. {@code OPENBLAS_CORETYPE} set or not), kernel set or thread count measures
 * afresh. A missing, unreadable or corrupt file is measured afresh too; a cache folder that cannot be written only
 * costs the measurement at the next load.
 */
public final class BackendChoiceCache {
    private BackendChoiceCache() {}

    /**
     * What the timings depend on.
     *
     * @param cpu      the CPU model (Linux's {@code /proc/cpuinfo}), else the architecture
     * @param jdk      the JVM's version
     * @param bert4j   the engine's version and build time
     * @param openBlas OpenBLAS's build and the core it runs kernels for ({@code openblas_get_config()})
     * @param coreType the {@code OPENBLAS_CORETYPE} variable ("unset" when it is not set)
     * @param kernels  the kernel set ("vector-512")
     * @param threads  the compute threads
     */
    public record Key(String cpu, String jdk, String bert4j, String openBlas, String coreType, String kernels,
                      int threads) {

        /** This machine and JVM, for {@code kernels} on {@code threads} threads. */
        public static Key current(Kernels kernels, int threads) {
            String coreType = System.getenv("OPENBLAS_CORETYPE");
            return new Key(cpuModel(), Runtime.version().toString(), engineBuild(), OpenBlas.config(),
                    coreType == null ? "unset" : coreType, kernels.name(), threads);
        }

        /** The file name: readable parts and a hash of the whole key. */
        String fileName() {
            return String.format(Locale.ROOT, "%s-%dt-%08x.properties", kernels, threads, hashCode());
        }

        private Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("key.cpu", cpu);
            f.put("key.jdk", jdk);
            f.put("key.bert4j", bert4j);
            f.put("key.openblas", openBlas);
            f.put("key.openblasCoretype", coreType);
            f.put("key.kernels", kernels);
            f.put("key.threads", Integer.toString(threads));
            return f;
        }
    }

    /** The cache folder's gemm/ ({@link CacheRoot}). */
    public static Path defaultDir() {
        return CacheRoot.path().resolve("gemm");
    }

    /** The file of {@code key} in {@code dir}. */
    public static Path file(Path dir, Key key) {
        return dir.resolve(key.fileName());
    }

    /**
     * The timings stored in {@code file} under {@code key}; empty when the file is missing, was measured under
     * another key, or cannot be read or parsed.
     */
    public static List<BackendChoice.Timing> read(Path file, Key key) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        for (Map.Entry<String, String> field : key.fields().entrySet()) {
            if (!field.getValue().equals(p.getProperty(field.getKey()))) {
                return List.of();
            }
        }
        List<BackendChoice.Timing> timings = new ArrayList<>();
        TreeSet<String> shapes = new TreeSet<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("shape.") && name.endsWith(".rows")) {
                shapes.add(name.substring("shape.".length(), name.length() - ".rows".length()));
            }
        }
        try {
            for (String shape : shapes) {
                String[] outIn = shape.split("x");
                timings.add(new BackendChoice.Timing(Integer.parseInt(outIn[0]), Integer.parseInt(outIn[1]),
                        ints(p, "shape." + shape + ".rows"), longs(p, "shape." + shape + ".java"),
                        longs(p, "shape." + shape + ".openblas")));
            }
        } catch (RuntimeException e) {
            return List.of();   // edited by hand, or half written by a crashed process: measure again
        }
        return timings;
    }

    /**
     * Writes {@code timings} under {@code key} to {@code file}, whole or not at all (a temporary file renamed over
     * it). Returns false, leaving any older file, when the folder cannot be written.
     */
    public static boolean write(Path file, Key key, List<BackendChoice.Timing> timings) {
        Properties p = new Properties();
        key.fields().forEach(p::setProperty);
        for (BackendChoice.Timing t : timings) {
            String prefix = "shape." + t.shape();
            p.setProperty(prefix + ".rows", join(Arrays.stream(t.rows()).asLongStream().toArray()));
            p.setProperty(prefix + ".java", join(t.java()));
            p.setProperty(prefix + ".openblas", join(t.openBlas()));
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                    p.store(out, "bert4j: GEMM backend timings on this machine, in nanoseconds (the best of a few"
                            + " runs),\n measured when a model first loaded with the auto backend; delete the file"
                            + " to measure again.");
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String join(long[] values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ",").append(values[i]);
        }
        return b.toString();
    }

    private static int[] ints(Properties p, String name) {
        return Arrays.stream(longs(p, name)).mapToInt(Math::toIntExact).toArray();
    }

    private static long[] longs(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return Arrays.stream(v.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
    }

    /** "Intel(R) Xeon(R) Processor" from /proc/cpuinfo's model name, else os.arch and the processor count. */
    static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the architecture is a weaker key, but still a key
        }
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors";
    }

    /** The engine's version and build time, from the resource the build fills in. */
    static String engineBuild() {
        try (InputStream in = BackendChoiceCache.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown") + " built " + p.getProperty("built", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
