package org.bert4j.server;

import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.TokenBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Dynamic batching: the sequences of concurrent requests wait in one queue, and a single worker thread packs as
 * many of them as fit a token budget into one {@link BertModel#forward} (TEI's {@code max_batch_tokens} and
 * {@code max_batch_requests}), then hands each request back its own rows.
 *
 * <p>Why it works without a timer: while one forward runs (milliseconds to seconds), the requests that arrive
 * queue up, and the next forward takes them all. A lone request never waits for company; 32 clients sending one
 * sentence each at once cost two or three forwards, not 32, so the GEMMs stay large. A forward's rows for one
 * sequence depend only on that sequence (the batch is packed without padding and attention stays within a
 * sequence), so packing changes nothing but the last bits a GEMM's blocking may move.
 *
 * <p>{@link #forward(TokenBatch, long)} has the model's signature with a deadline: callers use it as they would use
 * the model. Sequences whose caller gave up (timeout) are dropped from the queue unrun.
 */
public final class InferenceQueue implements AutoCloseable {

    /** One sequence waiting for a forward pass. */
    private record Pending(int[] ids, int[] typeIds, long enqueuedNanos, CompletableFuture<Rows> result) {
    }

    /** One sequence's share of a forward's output. */
    private record Rows(float[] hidden, float[] pooler) {
    }

    private final BertModel model;
    private final int maxBatchTokens;
    private final int maxBatchSequences;
    private final BatchObserver observer;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    /** Guarded by {@code this}: once set, nothing more is queued, and the worker ends when the queue is empty. */
    private boolean closing;

    /**
     * A queue in front of {@code model}.
     *
     * @param maxBatchTokens    the most tokens one forward packs (a longer sequence is refused by {@link #forward})
     * @param maxBatchSequences the most sequences one forward packs
     */
    public InferenceQueue(BertModel model, int maxBatchTokens, int maxBatchSequences, BatchObserver observer) {
        if (maxBatchTokens < 1 || maxBatchSequences < 1) {
            throw new IllegalArgumentException("maxBatchTokens and maxBatchSequences must be positive, got "
                    + maxBatchTokens + " and " + maxBatchSequences);
        }
        this.model = model;
        this.maxBatchTokens = maxBatchTokens;
        this.maxBatchSequences = maxBatchSequences;
        this.observer = observer;
        // A platform thread: it drives the model's compute threads, which expect a thread of their own to join.
        this.worker = Thread.ofPlatform().name("bert4j-batcher").daemon(true).unstarted(this::work);
        worker.start();
    }

    /**
     * The model's output for {@code batch}, computed together with whatever other requests are queued; blocks until
     * every sequence has run or {@code deadlineNanos} ({@link System#nanoTime()} scale) has passed.
     *
     * @throws TimeoutException      when the deadline passed first (the sequences not yet run are dropped)
     * @throws IllegalStateException when the queue is closed
     * @throws RuntimeException      what the model threw for the forward that held these sequences
     */
    public BertModelOutput forward(TokenBatch batch, long deadlineNanos) throws TimeoutException, InterruptedException {
        int n = batch.size();
        List<Pending> mine = new ArrayList<>(n);
        long now = System.nanoTime();
        for (int s = 0; s < n; s++) {
            int length = batch.sequenceLengths()[s];
            if (length > maxBatchTokens) {
                throw new IllegalArgumentException("sequence " + s + " has " + length + " tokens, more than the "
                        + maxBatchTokens + " one forward pass takes (max batch tokens)");
            }
            int from = batch.sequenceStarts()[s];
            mine.add(new Pending(Arrays.copyOfRange(batch.ids(), from, from + length),
                    Arrays.copyOfRange(batch.typeIds(), from, from + length), now, new CompletableFuture<>()));
        }
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("the server is shutting down");
            }
            queue.addAll(mine);
        }
        Rows[] rows = new Rows[n];
        try {
            for (int s = 0; s < n; s++) {
                long left = deadlineNanos - System.nanoTime();
                rows[s] = mine.get(s).result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            // The worker skips what is cancelled: a caller that gave up costs no forward.
            mine.forEach(p -> p.result().cancel(false));
            throw e;
        } catch (ExecutionException e) {
            mine.forEach(p -> p.result().cancel(false));
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return assemble(rows);
    }

    /** The sequences waiting for a forward pass. */
    public int depth() {
        return queue.size();
    }

    /** Whether {@link #close()} has begun: new work is refused from then on. */
    synchronized boolean closing() {
        return closing;
    }

    /** The token budget of one forward pass. */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /** The most sequences one forward pass packs. */
    public int maxBatchSequences() {
        return maxBatchSequences;
    }

    private BertModelOutput assemble(Rows[] rows) {
        int hidden = model.config().hiddenSize();
        int total = 0;
        for (Rows r : rows) {
            total += r.hidden().length;
        }
        float[] last = new float[total];
        int[] starts = new int[rows.length];
        int[] lengths = new int[rows.length];
        boolean pooled = rows[0].pooler() != null;
        float[] pooler = pooled ? new float[rows.length * hidden] : null;
        int at = 0;
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(rows[s].hidden(), 0, last, at, rows[s].hidden().length);
            starts[s] = at / hidden;
            lengths[s] = rows[s].hidden().length / hidden;
            if (pooled) {
                System.arraycopy(rows[s].pooler(), 0, pooler, s * hidden, hidden);
            }
            at += rows[s].hidden().length;
        }
        return new BertModelOutput(last, hidden, starts, lengths, null, pooler);
    }

    private void work() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Only close() may stop the worker, and it does so by draining; an interrupt is not a reason.
                continue;
            }
            if (first == null) {
                synchronized (this) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                }
                continue;
            }
            if (first.result().isDone()) {
                continue;
            }
            batch.clear();
            batch.add(first);
            int tokens = first.ids().length;
            // Only this thread takes from the queue, so what peek() shows is what poll() removes. A request adds
            // its sequences under this lock: taking it here waits for the rest of a request caught half-added.
            synchronized (this) {
                while (batch.size() < maxBatchSequences) {
                    Pending next = queue.peek();
                    if (next == null) {
                        break;
                    }
                    if (next.result().isDone()) {
                        queue.poll();
                        continue;
                    }
                    if (tokens + next.ids().length > maxBatchTokens) {
                        break;
                    }
                    queue.poll();
                    batch.add(next);
                    tokens += next.ids().length;
                }
            }
            run(batch, tokens);
        }
    }

    private void run(List<Pending> batch, int tokens) {
        long start = System.nanoTime();
        int[][] ids = new int[batch.size()][];
        int[][] types = new int[batch.size()][];
        for (int s = 0; s < batch.size(); s++) {
            Pending p = batch.get(s);
            ids[s] = p.ids();
            types[s] = p.typeIds();
            observer.dequeued((start - p.enqueuedNanos()) / 1e9);
        }
        BertModelOutput out;
        try {
            out = model.forward(TokenBatch.of(ids, types));
        } catch (RuntimeException | Error e) {
            // Every caller of this forward gets the failure; the worker lives on for the next batch.
            for (Pending p : batch) {
                p.result().completeExceptionally(e);
            }
            return;
        }
        observer.batch(batch.size(), tokens, (System.nanoTime() - start) / 1e9);
        int hidden = out.hidden();
        for (int s = 0; s < batch.size(); s++) {
            int from = out.sequenceStarts()[s] * hidden;
            int to = from + out.sequenceLengths()[s] * hidden;
            float[] pooler = out.pooler() == null ? null : Arrays.copyOfRange(out.pooler(), s * hidden, (s + 1) * hidden);
            batch.get(s).result().complete(new Rows(Arrays.copyOfRange(out.lastHidden(), from, to), pooler));
        }
    }

    /**
     * Stops taking sequences and returns once every queued one has run (graceful shutdown: what was accepted is
     * answered). Does not close the model.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
