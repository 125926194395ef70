package org.bert4j.server.load;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A load generator for {@code bert4j serve}: {@code clients} concurrent clients, each on its own connection, send
 * one text at a time to {@code POST /embed} until a deadline or a request count, and check every answer against
 * the embedding expected for the text it sent, so a lost or mixed-up response is counted, not just a slow one.
 * Used by the load test, {@code server/load-test} and the server benchmark.
 */
public final class LoadRun {

    /**
     * What a run saw.
     *
     * @param ok            answers with status 200 and the right vector
     * @param httpErrors    answers with another status (the first few kept in {@code samples})
     * @param mismatches    200 answers whose vector is not the text's (a mixed-up or corrupt answer)
     * @param ioErrors      requests that got no answer (connection refused or closed)
     * @param ioErrorsAfter of those, the ones that ended after {@code stopsAfterNanos} (a server told to stop)
     * @param seconds       wall time of the run
     * @param latenciesMs   every successful request's latency, sorted
     * @param samples       the first error messages
     */
    public record Result(long ok, long httpErrors, long mismatches, long ioErrors, long ioErrorsAfter, double seconds,
                         double[] latenciesMs, List<String> samples) {

        /** Successful requests per second. */
        public double throughput() {
            return ok / seconds;
        }

        /** The latency at quantile {@code q} (0.5 for the median), in ms; NaN without successes. */
        public double latencyMs(double q) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * latenciesMs.length) - 1;
            return latenciesMs[Math.max(0, Math.min(latenciesMs.length - 1, i))];
        }

        /** One line for logs and reports. */
        public String summary() {
            return String.format(Locale.ROOT, "%d ok, %d HTTP errors, %d mismatches, %d no answer (%d after stop) in "
                            + "%.1f s: %.1f requests/s, p50 %.1f ms, p99 %.1f ms%s", ok, httpErrors, mismatches, ioErrors,
                    ioErrorsAfter, seconds, throughput(), latencyMs(0.5), latencyMs(0.99),
                    samples.isEmpty() ? "" : "; first errors: " + samples);
        }
    }

    private LoadRun() {
    }

    /**
     * Runs the load.
     *
     * @param base            the server, e.g. {@code http://127.0.0.1:8080}
     * @param texts           what the clients send, each client starting at another offset
     * @param expected        the embedding each text must get back
     * @param tolerance       the largest allowed difference per component
     * @param clients         concurrent clients
     * @param duration        how long to send
     * @param maxRequests     stop after this many requests in all (Long.MAX_VALUE: by time only)
     * @param stopsAfterNanos {@link System#nanoTime()} after which a missing answer is expected (the server was
     *                        told to stop); Long.MAX_VALUE while it is not
     */
    public static Result run(URI base, List<String> texts, Function<String, float[]> expected, double tolerance,
                             int clients, Duration duration, long maxRequests, LongSupplier stopsAfterNanos)
            throws InterruptedException {
        URI embed = base.resolve("/embed");
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicLong issued = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong httpErrors = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        AtomicLong ioErrors = new AtomicLong();
        AtomicLong ioAfter = new AtomicLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int offset = (int) ((long) c * texts.size() / clients);
            threads.add(Thread.ofPlatform().name("load-client-" + c).start(() -> {
                // One client, one connection: HTTP/1.1 keeps it open between requests.
                try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build()) {
                    for (int i = offset; System.nanoTime() < end && issued.incrementAndGet() <= maxRequests; i++) {
                        String text = texts.get(i % texts.size());
                        String body = "{\"inputs\":" + new JsonPrimitive(text) + "}";
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(embed)
                                    .timeout(Duration.ofSeconds(120))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            double ms = (System.nanoTime() - t0) / 1e6;
                            if (response.statusCode() != 200) {
                                httpErrors.incrementAndGet();
                                sample(samples, response.statusCode() + " " + response.body());
                            } else if (!matches(response.body(), expected.apply(text), tolerance)) {
                                mismatches.incrementAndGet();
                                sample(samples, "wrong vector for \"" + text + "\": " + response.body());
                            } else {
                                ok.incrementAndGet();
                                latencies.add(ms);
                            }
                        } catch (IOException e) {
                            ioErrors.incrementAndGet();
                            if (System.nanoTime() > stopsAfterNanos.getAsLong()) {
                                ioAfter.incrementAndGet();
                                return; // the server is going away: this client is done
                            }
                            sample(samples, e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Result(ok.get(), httpErrors.get(), mismatches.get(), ioErrors.get(), ioAfter.get(),
                (System.nanoTime() - start) / 1e9, sorted, List.copyOf(samples));
    }

    private static void sample(List<String> samples, String message) {
        synchronized (samples) {
            if (samples.size() < 5) {
                samples.add(message.length() > 300 ? message.substring(0, 300) + "…" : message);
            }
        }
    }

    /**
     * Whether a {@code /embed} answer [[...]] holds exactly one vector within {@code tolerance} of {@code want}. A body
     * that is not one vector of JSON numbers (cut short, an object, nulls, strings) is a mismatch too: Gson's
     * exception would otherwise end the client's thread, and the answer would go uncounted instead of failing the run.
     */
    static boolean matches(String body, float[] want, double tolerance) {
        try {
            JsonArray outer = JsonParser.parseString(body).getAsJsonArray();
            if (outer.size() != 1) {
                return false;
            }
            JsonArray got = outer.get(0).getAsJsonArray();
            if (got.size() != want.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                // Gson reads "0.1" and [0.1] as the number 0.1 too: only a JSON number is one.
                if (!(got.get(i) instanceof JsonPrimitive p && p.isNumber())
                        || !(Math.abs(p.getAsFloat() - want[i]) <= tolerance)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
