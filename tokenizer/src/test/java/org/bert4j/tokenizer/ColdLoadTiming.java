package org.bert4j.tokenizer;

import com.google.gson.JsonParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a command-line user waits for: loading a tokenizer in a fresh JVM, then its first encode.
 *
 * <p>Only a cold JVM shows the cost (class loading, interpreted code), so this is a main class that starts
 * itself again as a new process for every run, not a test or a JMH benchmark:
 * <pre>
 * java -cp tokenizer/target/classes:tokenizer/target/test-classes:GSON_JAR \
 *     org.bert4j.tokenizer.ColdLoadTiming [MODEL_DIR] [RUNS]
 * </pre>
 * MODEL_DIR defaults to ~/.cache/bert4j/models/all-MiniLM-L6-v2. Each run loads from tokenizer.json (also
 * once with gson's classes already loaded, as they are in the CLI, where config.json is read first) and
 * from vocab.txt alone, each in its own process; the report gives the min and median of each, wall clock
 * and the main thread's CPU time (on a busy machine the two differ a lot).
 */
public final class ColdLoadTiming {
    private ColdLoadTiming() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Path.of(args[2]));
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0]
                : System.getProperty("user.home") + "/.cache/bert4j/models/all-MiniLM-L6-v2");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("milliseconds, min / median of " + runs
                + " fresh JVMs; wall clock, and (cpu) of the main thread");
        List<String> modes = List.of("json", "json-gson-warm", "vocab");
        long[][][] results = new long[modes.size()][4][runs];
        for (int r = 0; r < runs; r++) {
            for (int m = 0; m < modes.size(); m++) { // interleaved, so that a burst of load hits every mode
                String[] out = runChild(modes.get(m), dir).split(" ");
                for (int k = 0; k < 4; k++) {
                    results[m][k][r] = Long.parseLong(out[k]);
                }
            }
        }
        for (int m = 0; m < modes.size(); m++) {
            long[][] x = results[m];
            System.out.printf(Locale.ROOT, "%-15s load %5.0f / %5.0f (cpu %4.0f / %4.0f)   first encode %4.0f / %4.0f "
                    + "(cpu %3.0f / %3.0f)%n", modes.get(m), min(x[0]), median(x[0]), min(x[1]), median(x[1]),
                    min(x[2]), median(x[2]), min(x[3]), median(x[3]));
        }
    }

    /** Runs one cold load in this fresh JVM and prints wall and CPU nanoseconds of the load and of the encode. */
    private static void child(String mode, Path dir) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (mode.equals("json-gson-warm")) {
            // As in BertModel.load, which reads config.json with gson just before the tokenizer.
            JsonParser.parseString("{\"hidden_size\": 384, \"layers\": [1.5, true, null, \"x\"]}");
        }
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        BertTokenizer tokenizer = mode.equals("vocab") ? BertTokenizer.fromVocab(dir.resolve("vocab.txt"))
                : BertTokenizer.load(dir);
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        Encoding e = tokenizer.encode("The quick brown fox jumps over the lazy dog, doesn't it? Tokenization!");
        long t2 = System.nanoTime();
        long c2 = threads.getCurrentThreadCpuTime();
        if (e.length() < 10) {
            throw new AssertionError("unexpected encoding " + Arrays.toString(e.ids()));
        }
        System.out.println((t1 - t0) + " " + (c1 - c0) + " " + (t2 - t1) + " " + (c2 - c1));
    }

    private static String runChild(String mode, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ColdLoadTiming.class.getName(), "--child", mode, dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("child run failed: " + out);
        }
        return out;
    }

    private static double min(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow() / 1e6;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
