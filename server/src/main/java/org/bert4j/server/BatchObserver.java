package org.bert4j.server;

/** What the {@link InferenceQueue} reports about its work, for the server's metrics. */
public interface BatchObserver {

    /** One forward pass ran: how many sequences and tokens it packed, and how long it took. */
    void batch(int sequences, int tokens, double forwardSeconds);

    /** One sequence left the queue for a forward pass after waiting {@code seconds}. */
    void dequeued(double seconds);

    /** An observer that ignores everything. */
    BatchObserver NONE = new BatchObserver() {
        @Override
        public void batch(int sequences, int tokens, double forwardSeconds) {
        }

        @Override
        public void dequeued(double seconds) {
        }
    };
}
