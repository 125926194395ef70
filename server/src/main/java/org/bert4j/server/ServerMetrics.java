package org.bert4j.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's numbers for {@code GET /metrics}, in Prometheus' text format, written by hand (a client library
 * would bring a dependency for a page of text): requests by route and status, request latency by route, forward
 * passes with their sizes in sequences and tokens, time in the queue and in the model, queue depth, requests in
 * flight, and tokens per second over the last ten seconds.
 */
final class ServerMetrics implements BatchObserver {

    private static final int WINDOW_SECONDS = 10;

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> requestSeconds = new ConcurrentHashMap<>();
    private final Histogram batchSequences;
    private final Histogram batchTokens;
    private final Histogram forwardSeconds = Histogram.seconds();
    private final Histogram queueSeconds = Histogram.seconds();
    private final LongAdder tokens = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Tokens run in each of the last seconds, indexed by epoch second modulo the length; guarded by itself. */
    private final long[] tokensBySecond = new long[WINDOW_SECONDS + 2];
    private final long[] secondOfSlot = new long[WINDOW_SECONDS + 2];

    ServerMetrics(int maxBatchSequences, int maxBatchTokens) {
        this.batchSequences = Histogram.powersOfTwo(Math.min(maxBatchSequences, maxBatchTokens));
        this.batchTokens = Histogram.powersOfTwo(maxBatchTokens);
    }

    /** A request started being handled. */
    void started() {
        inFlight.incrementAndGet();
    }

    /** A request was answered with {@code status} after {@code seconds}. */
    void finished(String route, int status, double seconds) {
        inFlight.decrementAndGet();
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        requestSeconds.computeIfAbsent(route, k -> Histogram.seconds()).observe(seconds);
    }

    /** Requests being handled right now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Forward passes run so far. */
    long forwards() {
        return batchSequences.count();
    }

    @Override
    public void batch(int sequences, int tokenCount, double seconds) {
        batchSequences.observe(sequences);
        batchTokens.observe(tokenCount);
        forwardSeconds.observe(seconds);
        tokens.add(tokenCount);
        long second = System.currentTimeMillis() / 1000;
        synchronized (tokensBySecond) {
            int slot = (int) (second % tokensBySecond.length);
            if (secondOfSlot[slot] != second) {
                secondOfSlot[slot] = second;
                tokensBySecond[slot] = 0;
            }
            tokensBySecond[slot] += tokenCount;
        }
    }

    @Override
    public void dequeued(double seconds) {
        queueSeconds.observe(seconds);
    }

    /** Tokens per second over the last ten whole seconds (the current, partial second left out). */
    double tokensPerSecond() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        synchronized (tokensBySecond) {
            for (int i = 0; i < tokensBySecond.length; i++) {
                long age = now - secondOfSlot[i];
                if (age >= 1 && age <= WINDOW_SECONDS) {
                    sum += tokensBySecond[i];
                }
            }
        }
        return sum / (double) WINDOW_SECONDS;
    }

    /** The exposition text; {@code queueDepth} is the queue's length now. */
    String render(int queueDepth) {
        StringBuilder out = new StringBuilder(4096);
        header(out, "bert4j_requests_total", "counter", "HTTP requests answered, by route and status code");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            out.append("bert4j_requests_total{route=\"").append(parts[0]).append("\",status=\"").append(parts[1])
                    .append("\"} ").append(count).append('\n');
        });
        header(out, "bert4j_request_duration_seconds", "histogram", "Time from a request's arrival to its answer, by route");
        new TreeMap<>(requestSeconds).forEach((route, h) -> h.render(out, "bert4j_request_duration_seconds",
                "route=\"" + route + "\""));
        header(out, "bert4j_requests_in_flight", "gauge", "Requests being handled now");
        out.append("bert4j_requests_in_flight ").append(inFlight.get()).append('\n');
        header(out, "bert4j_queue_depth", "gauge", "Sequences waiting for a forward pass");
        out.append("bert4j_queue_depth ").append(queueDepth).append('\n');
        header(out, "bert4j_batch_sequences", "histogram", "Sequences packed into each forward pass");
        batchSequences.render(out, "bert4j_batch_sequences", "");
        header(out, "bert4j_batch_tokens", "histogram", "Tokens packed into each forward pass");
        batchTokens.render(out, "bert4j_batch_tokens", "");
        header(out, "bert4j_forward_duration_seconds", "histogram", "Time of each forward pass");
        forwardSeconds.render(out, "bert4j_forward_duration_seconds", "");
        header(out, "bert4j_queue_duration_seconds", "histogram", "Time each sequence waited for its forward pass");
        queueSeconds.render(out, "bert4j_queue_duration_seconds", "");
        header(out, "bert4j_tokens_total", "counter", "Tokens run through the model");
        out.append("bert4j_tokens_total ").append(tokens.sum()).append('\n');
        header(out, "bert4j_tokens_per_second", "gauge", "Tokens run through the model per second, over the last 10 s");
        out.append("bert4j_tokens_per_second ").append(Histogram.number(tokensPerSecond())).append('\n');
        memory(out);
        return out.toString();
    }

    /**
     * Heap in use, heap live after the last collection (what a leak makes grow; the in-use figure saws up and down
     * with every allocation), and the process's resident memory (weights are memory-mapped, outside the heap).
     */
    private static void memory(StringBuilder out) {
        header(out, "bert4j_jvm_heap_used_bytes", "gauge", "Java heap in use");
        out.append("bert4j_jvm_heap_used_bytes ")
                .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()).append('\n');
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (afterGc != null) {
                live += afterGc.getUsed();
            }
        }
        header(out, "bert4j_jvm_heap_after_gc_bytes", "gauge", "Java heap in use after the last collection");
        out.append("bert4j_jvm_heap_after_gc_bytes ").append(live).append('\n');
        long rss = residentBytes();
        if (rss >= 0) {
            header(out, "process_resident_memory_bytes", "gauge", "Resident memory of the process");
            out.append("process_resident_memory_bytes ").append(rss).append('\n');
        }
    }

    /** VmRSS from /proc/self/status (Linux), or -1 elsewhere. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
