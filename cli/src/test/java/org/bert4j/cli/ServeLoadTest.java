package org.bert4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.models.DefaultModel;
import org.bert4j.server.load.LoadRun;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bert4j serve} as a real process under load: 16 clients send news headlines for {@code bert4j.loadSeconds}
 * seconds (12 in the suite; {@code server/load-test} runs 60), every answer checked against its own headline's
 * embedding (1e-5); no errors, no lost or mixed-up answers, memory flat (the heap after a full GC before and after
 * the load, resident memory troughs at its start and end); then SIGTERM mid-load: the requests accepted are answered, a long one queued
 * just before included, and the process exits with 0.
 */
class ServeLoadTest {

    static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    static final int CLIENTS = 16;

    @Test
    void servesUnderLoadWithFlatMemoryThenStopsGracefullyOnSigterm() throws Exception {
        int seconds = Integer.getInteger("bert4j.loadSeconds", 12);
        List<String> headlines = headlines(200);
        Map<String, float[]> expected = new HashMap<>();
        String longText = "a long text to keep the model busy while the server is told to stop ".repeat(20);
        float[] longVector;
        try (SentenceEncoder encoder = SentenceEncoder.load(DefaultModel.folder())) {
            float[][] v = encoder.encode(headlines);
            for (int i = 0; i < headlines.size(); i++) {
                expected.put(headlines.get(i), v[i]);
            }
            longVector = encoder.encode(longText);
        }
        Process server = start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        URI base = awaitListening(server, log);
        try {
            LoadRun.Result warm = LoadRun.run(base, headlines, expected::get, 1e-5, 4, Duration.ofSeconds(2),
                    Long.MAX_VALUE, () -> Long.MAX_VALUE);
            assertEquals(0, warm.httpErrors() + warm.mismatches() + warm.ioErrors(), warm.summary());

            double heapStart = retainedHeap(server, base);
            // Steady load, memory sampled from /metrics twice a second.
            List<double[]> memory = Collections.synchronizedList(new ArrayList<>());
            long loadStart = System.nanoTime();
            CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
                while (System.nanoTime() - loadStart < seconds * 1_000_000_000L) {
                    Map<String, Double> m = scrape(base);
                    memory.add(new double[] {(System.nanoTime() - loadStart) / 1e9, m.get("bert4j_jvm_heap_used_bytes"),
                            m.get("process_resident_memory_bytes")});
                    sleep(500);
                }
            });
            LoadRun.Result steady = LoadRun.run(base, headlines, expected::get, 1e-5, CLIENTS,
                    Duration.ofSeconds(seconds), Long.MAX_VALUE, () -> Long.MAX_VALUE);
            sampler.get(60, TimeUnit.SECONDS);
            assertEquals(0, steady.httpErrors(), steady.summary());
            assertEquals(0, steady.mismatches(), "mixed-up answers: " + steady.summary());
            assertEquals(0, steady.ioErrors(), "lost answers: " + steady.summary());
            assertTrue(steady.ok() > CLIENTS, steady.summary());
            double window = Math.max(2, seconds / 5.0);
            double heapEnd = retainedHeap(server, base);
            double rssStart = min(memory, 2, 0, window);
            double rssEnd = min(memory, 2, seconds - window, seconds);
            String report = String.format(Locale.ROOT, "ServeLoadTest: %d clients, %d s: %s; heap after a full GC %.0f → %.0f MB, "
                    + "resident %.0f → %.0f MB", CLIENTS, seconds, steady.summary(), heapStart / 1e6, heapEnd / 1e6,
                    rssStart / 1e6, rssEnd / 1e6);
            System.out.println(report);
            // Flat: a leak of even 1 kB a request would add more than this over the run.
            assertTrue(heapEnd - heapStart < 48e6, "retained heap grew: " + report);
            assertTrue(rssEnd - rssStart < 96e6, "resident memory grew: " + report);

            // SIGTERM mid-load, with a long request known to be queued when the signal goes.
            AtomicLong stoppedAt = new AtomicLong(Long.MAX_VALUE);
            CompletableFuture<LoadRun.Result> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return LoadRun.run(base, headlines, expected::get, 1e-5, 8, Duration.ofSeconds(60), Long.MAX_VALUE,
                            stoppedAt::get);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            String inputs = new com.google.gson.JsonPrimitive(longText).toString();
            String longBody = "{\"truncate\": true, \"inputs\": [" + String.join(",", Collections.nCopies(32, inputs)) + "]}";
            CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(base.resolve("/embed")).POST(HttpRequest.BodyPublishers.ofString(longBody))
                            .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            long waitUntil = System.nanoTime() + 60_000_000_000L;
            while (scrape(base).get("bert4j_queue_depth") < 16 && System.nanoTime() < waitUntil && !slow.isDone()) {
                sleep(2);
            }
            stoppedAt.set(System.nanoTime());
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(120, TimeUnit.SECONDS), "the server did not stop: " + log);
            assertEquals(0, server.exitValue(), "exit code after SIGTERM; log: " + log);
            HttpResponse<String> answer = slow.get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), "the request queued before SIGTERM: " + answer.body());
            JsonArray vectors = JsonParser.parseString(answer.body()).getAsJsonArray();
            assertEquals(32, vectors.size());
            for (int k = 0; k < longVector.length; k++) {
                assertEquals(longVector[k], vectors.get(31).getAsJsonArray().get(k).getAsFloat(), 1e-5);
            }
            LoadRun.Result during = load.get(120, TimeUnit.SECONDS);
            System.out.println("ServeLoadTest: SIGTERM under load: " + during.summary());
            assertEquals(0, during.httpErrors(), during.summary());
            assertEquals(0, during.mismatches(), during.summary());
            assertEquals(during.ioErrors(), during.ioErrorsAfter(), "no answer lost before the signal: " + during.summary());
            System.out.println("ServeLoadTest: server log: " + log);
        } finally {
            server.destroyForcibly();
        }
    }

    static List<String> headlines(int n) throws IOException {
        String shared = System.getProperty("bert4j.sharedData");
        Path news = Path.of(shared == null ? "(bert4j.sharedData unset)" : shared, "news_category_first8000.jsonl");
        assertTrue(Files.isRegularFile(news), "the news data is missing: " + news + " (set BERT4J_SHARED_DATA)");
        List<String> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(news)) {
            for (String line = in.readLine(); line != null && out.size() < n; line = in.readLine()) {
                String headline = JsonParser.parseString(line).getAsJsonObject().get("headline").getAsString();
                if (!headline.isBlank()) {
                    out.add(headline);
                }
            }
        }
        return out;
    }

    /** The CLI in a child JVM with a fixed heap (pre-touched, so resident memory shows leaks outside the heap). */
    static Process start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-Dbert4j.cacheDir=" + System.getProperty("bert4j.cacheDir", ""),
                "-cp", System.getProperty("java.class.path"), "org.bert4j.cli.Main", "serve", "--port", "0",
                "--request-timeout", "60"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    static URI awaitListening(Process server, List<String> log) throws Exception {
        CompletableFuture<URI> uri = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    log.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        uri.complete(URI.create(m.group(1)));
                    }
                }
                uri.completeExceptionally(new IllegalStateException("the server ended: " + log));
            } catch (IOException e) {
                uri.completeExceptionally(e);
            }
        });
        return uri.get(180, TimeUnit.SECONDS);
    }

    static Map<String, Double> scrape(URI base) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> out = new HashMap<>();
            for (String line : text.split("\n")) {
                if (!line.startsWith("#") && !line.contains("{")) {
                    String[] parts = line.split(" ");
                    out.put(parts[0], Double.parseDouble(parts[1]));
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The server's heap in use right after a full collection (jcmd GC.run): what it retains. A trough between young
     * collections also holds garbage promoted to the old generation, which grows until the next full collection
     * without being a leak.
     */
    static double retainedHeap(Process server, URI base) throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run failed");
        return scrape(base).get("bert4j_jvm_heap_used_bytes");
    }

    static double min(List<double[]> samples, int column, double from, double to) {
        double min = Double.POSITIVE_INFINITY;
        synchronized (samples) {
            for (double[] s : samples) {
                if (s[0] >= from && s[0] <= to) {
                    min = Math.min(min, s[column]);
                }
            }
        }
        return min;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
