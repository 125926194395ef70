package org.bert4j.bench.server;

import com.google.gson.JsonParser;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.models.DefaultModel;
import org.bert4j.server.BertServer;
import org.bert4j.server.ServerOptions;
import org.bert4j.server.load.LoadRun;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bert4j serve}'s throughput and latency at 1, 8, 32 and 128 concurrent clients sending single news
 * headlines (each answer checked), then the in-process SentenceEncoder on batches of 32 of the same headlines, back
 * to back in one JVM so the two see the same machine. Prints a Markdown table. Not JMH: the quantity is a server's
 * steady state under concurrent clients, which JMH's harness does not model. Run by {@code server/benchmark}.
 *
 * <p>Arguments: seconds per step (default 20).
 */
public final class ServerBenchmark {

    private ServerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path news = Path.of(System.getProperty("bert4j.sharedData", "../shared/data"), "news_category_first8000.jsonl");
        List<String> headlines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(news)) {
            for (String line = in.readLine(); line != null && headlines.size() < 2000; line = in.readLine()) {
                String h = JsonParser.parseString(line).getAsJsonObject().get("headline").getAsString();
                if (!h.isBlank()) {
                    headlines.add(h);
                }
            }
        }
        Path model = DefaultModel.folder();
        Map<String, float[]> expected = new HashMap<>();
        double encoderRate;
        try (SentenceEncoder encoder = SentenceEncoder.load(model)) {
            float[][] v = encoder.encode(headlines);
            for (int i = 0; i < headlines.size(); i++) {
                expected.put(headlines.get(i), v[i]);
            }
            encoderRate = encoderRate(encoder, headlines, seconds);
        }
        StringBuilder table = new StringBuilder("| clients | sentences/s | p50 ms | p99 ms | errors |\n|--:|--:|--:|--:|--:|\n");
        double at32 = 0;
        try (BertServer server = BertServer.start(model, null, ServerOptions.defaults().withPort(0)
                .withMaxConcurrentRequests(1024).withRequestTimeout(Duration.ofSeconds(120)))) {
            LoadRun.run(server.uri(), headlines, expected::get, 1e-5, 8, Duration.ofSeconds(Math.min(10, seconds)),
                    Long.MAX_VALUE, () -> Long.MAX_VALUE);
            for (int clients : new int[] {1, 8, 32, 128}) {
                LoadRun.Result r = LoadRun.run(server.uri(), headlines, expected::get, 1e-5, clients,
                        Duration.ofSeconds(seconds), Long.MAX_VALUE, () -> Long.MAX_VALUE);
                System.err.println("ServerBenchmark: " + clients + " clients: " + r.summary());
                table.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %d |%n", clients, r.throughput(),
                        r.latencyMs(0.5), r.latencyMs(0.99), r.httpErrors() + r.mismatches() + r.ioErrors()));
                if (clients == 32) {
                    at32 = r.throughput();
                }
            }
        }
        // The encoder again after the server, so a machine that got busier in between shows as a spread.
        double encoderAfter;
        try (SentenceEncoder encoder = SentenceEncoder.load(model)) {
            encoder.encode(headlines.subList(0, 256));
            encoderAfter = encoderRate(encoder, headlines, seconds);
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "%nin-process SentenceEncoder, batches of 32: %.1f sentences/s before the server, "
                + "%.1f after; server at 32 clients / encoder = x%.2f (x%.2f against the mean)%n", encoderRate, encoderAfter,
                at32 / Math.max(encoderRate, encoderAfter), at32 / ((encoderRate + encoderAfter) / 2));
    }

    private static double encoderRate(SentenceEncoder encoder, List<String> headlines, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long done = 0;
        for (int i = 0; System.nanoTime() < end; i = (i + 32) % (headlines.size() - 32)) {
            encoder.encode(headlines.subList(i, i + 32));
            done += 32;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }
}
