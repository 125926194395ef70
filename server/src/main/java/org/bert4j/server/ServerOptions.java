package org.bert4j.server;

import java.time.Duration;

/**
 * How {@code bert4j serve} listens, batches and limits, with Hugging Face TEI's option names and defaults where TEI
 * has the option.
 *
 * @param host                  the address to bind; 127.0.0.1 by default, so nothing outside the machine reaches it
 * @param port                  the port; 0 picks a free one ({@link BertServer#port()} tells which)
 * @param maxBatchTokens        the most tokens one forward pass packs (TEI {@code --max-batch-tokens}, 16384)
 * @param maxBatchRequests      the most sequences one forward pass packs; 0: only the token budget limits
 *                              (TEI {@code --max-batch-requests})
 * @param maxClientBatchSize    the most inputs one request may carry (TEI {@code --max-client-batch-size}, 32)
 * @param maxConcurrentRequests inference requests handled at once; one more is answered 429 at once
 *                              (TEI {@code --max-concurrent-requests}, 512). Bounds the queue: at most this many
 *                              requests of at most {@code maxClientBatchSize} inputs wait
 * @param maxInputLength        tokens per input, special tokens included; 0: the model folder's
 *                              {@code max_seq_length} (as TEI); longer inputs are cut or refused, per {@code truncate}
 * @param autoTruncate          what {@code truncate} means when a request leaves it out (TEI {@code --auto-truncate})
 * @param payloadLimit          the largest request body in bytes (TEI {@code --payload-limit}, 2 MB)
 * @param requestTimeout        the longest a request may wait for its forward passes before a 503 (TEI has none)
 * @param apiKey                when set, every route but {@code /health} needs {@code Authorization: Bearer KEY}
 * @param servedModelName       the {@code model} of OpenAI responses and {@code model_id} of {@code /info}; null: the
 *                              model folder's name (TEI {@code --served-model-name})
 * @param threads               compute threads of the model; 0: one per processor
 */
public record ServerOptions(String host, int port, int maxBatchTokens, int maxBatchRequests, int maxClientBatchSize,
                            int maxConcurrentRequests, int maxInputLength, boolean autoTruncate, int payloadLimit,
                            Duration requestTimeout, String apiKey, String servedModelName, int threads) {

    /** Checks every number. */
    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        check("port", port, 0, 65535);
        check("maxBatchTokens", maxBatchTokens, 2, Integer.MAX_VALUE);
        check("maxBatchRequests", maxBatchRequests, 0, Integer.MAX_VALUE);
        check("maxClientBatchSize", maxClientBatchSize, 1, Integer.MAX_VALUE);
        check("maxConcurrentRequests", maxConcurrentRequests, 1, Integer.MAX_VALUE);
        check("maxInputLength", maxInputLength, 0, Integer.MAX_VALUE);
        if (maxInputLength == 1) {
            throw new IllegalArgumentException("maxInputLength must be 0 (the model's) or at least 2 ([CLS] and [SEP])");
        }
        check("payloadLimit", payloadLimit, 1, Integer.MAX_VALUE);
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        check("threads", threads, 0, 4096);
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank (leave it null for no key)");
        }
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** TEI's defaults, bound to 127.0.0.1:8080, a 30-second request timeout, no API key. */
    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", 8080, 16384, 0, 32, 512, 0, false, 2_000_000, Duration.ofSeconds(30),
                null, null, 0);
    }

    /** The sequences one forward pass may pack: {@link #maxBatchRequests()}, unbounded when 0. */
    public int effectiveMaxBatchRequests() {
        return maxBatchRequests == 0 ? Integer.MAX_VALUE : maxBatchRequests;
    }

    public ServerOptions withHost(String v) {
        return new ServerOptions(v, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withPort(int v) {
        return new ServerOptions(host, v, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withMaxBatchTokens(int v) {
        return new ServerOptions(host, port, v, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withMaxBatchRequests(int v) {
        return new ServerOptions(host, port, maxBatchTokens, v, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withMaxClientBatchSize(int v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, v, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withMaxConcurrentRequests(int v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, v,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withMaxInputLength(int v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                v, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withAutoTruncate(boolean v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, v, payloadLimit, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withPayloadLimit(int v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, v, requestTimeout, apiKey, servedModelName, threads);
    }

    public ServerOptions withRequestTimeout(Duration v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, v, apiKey, servedModelName, threads);
    }

    public ServerOptions withApiKey(String v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, v, servedModelName, threads);
    }

    public ServerOptions withServedModelName(String v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, v, threads);
    }

    public ServerOptions withThreads(int v) {
        return new ServerOptions(host, port, maxBatchTokens, maxBatchRequests, maxClientBatchSize, maxConcurrentRequests,
                maxInputLength, autoTruncate, payloadLimit, requestTimeout, apiKey, servedModelName, v);
    }
}
