package org.bert4j.server;

import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.crossencoder.CrossEncoder;
import org.bert4j.folder.TaskConfig;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP server of {@code bert4j serve}: Hugging Face TEI's routes and OpenAI's {@code /v1/embeddings} over one
 * {@link ServedModel}, on the JDK's own {@link HttpServer} with a virtual thread per request.
 *
 * <p>Why the JDK's server: it ships with every JDK (no dependency to keep up to date), handles HTTP/1.1 keep-alive,
 * and with virtual threads a request may simply block while its sequences wait for a forward pass; the server's
 * own cost (microseconds a request) is noise next to a forward pass (milliseconds). What it lacks is added here:
 * a body size limit, a request timeout, a cap on concurrent inference requests (429), an API key, and a graceful
 * {@link #close()} that stops accepting, answers what was accepted, then closes the model.
 */
public final class BertServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BertServer.class.getName());

    private final HttpServer http;
    private final ExecutorService executor;
    private final ServedModel served;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Semaphore permits;
    private final byte[] authorization;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopping;

    private BertServer(ServedModel served, ServerOptions options) throws IOException {
        this.served = served;
        this.options = options;
        this.metrics = served.metrics();
        this.permits = new Semaphore(options.maxConcurrentRequests());
        this.authorization = options.apiKey() == null ? null
                : ("Bearer " + options.apiKey()).getBytes(StandardCharsets.UTF_8);
        RequestRules rules = new RequestRules(options, served.prompts());
        List<Route> all = new ArrayList<>();
        all.addAll(new EmbedRoutes(served, rules).routes());
        all.addAll(new HeadRoutes(served, rules).routes());
        all.add(new RerankRoute(served, rules).route());
        all.addAll(new TokenizeRoutes(served, rules).routes());
        all.addAll(new StatusRoutes(served, options, metrics, () -> !stopping).routes());
        for (Route route : all) {
            routes.put(route.path(), route);
        }
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
    }

    /** Loads a model folder (and heads, when {@code headsDir} is not null) and serves it; close the server to stop. */
    public static BertServer start(Path modelDir, Path headsDir, ServerOptions options) throws IOException {
        ServedModel served = ServedModel.load(modelDir, headsDir, options);
        try {
            // A cross-encoder (a one-label sequence classifier, e.g. ms-marco MiniLM) answers /rerank too, as TEI
            // serves a re-ranker model.
            TaskConfig task = TaskConfig.read(modelDir.resolve("config.json"));
            if (task.declares(TaskConfig.SEQUENCE_CLASSIFICATION) && task.numLabels() == 1) {
                served = served.withReranker(new CrossEncoderReranker(CrossEncoder.load(modelDir,
                        EngineOptions.defaults().withThreads(options.threads()))));
            }
            return start(served, options);
        } catch (IOException | RuntimeException e) {
            served.close();
            throw e;
        }
    }

    /**
     * Serves a loaded model (e.g. one given a re-ranker with {@link ServedModel#withReranker}); the server closes
     * it when it closes. A port already in use is an IOException naming the address.
     */
    public static BertServer start(ServedModel served, ServerOptions options) throws IOException {
        try {
            return new BertServer(served, options);
        } catch (java.net.BindException e) {
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** The port it listens on (the one picked when the options said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base address, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String host = http.getAddress().getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** The model served. */
    public ServedModel served() {
        return served;
    }

    /** Blocks until {@link #close()} has finished (from another thread, e.g. a signal handler). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        metrics.started();
        String path = exchange.getRequestURI().getPath();
        Route route = routes.get(path);
        int status = 500;
        try {
            Response response = respond(exchange, route, path, start);
            status = response.status();
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            if (stopping) {
                // Keep-alive clients would otherwise go on sending on their open connections, and the JDK server's
                // stop() would wait for them until its grace period ends.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            byte[] body = response.body();
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // The client went away before its answer was written: nothing to answer, only to count.
            status = 499;
        } finally {
            exchange.close();
            // Unknown paths share one label: a scanner must not grow the metrics without bound.
            metrics.finished(route == null ? "other" : route.path(), status, (System.nanoTime() - start) / 1e9);
        }
    }

    private Response respond(HttpExchange exchange, Route route, String path, long start) {
        try {
            if (route == null) {
                throw new ApiError(404, "not_found", "no route " + path + " (routes: " + String.join(", ", routes.keySet())
                        + ")");
            }
            if (!route.method().equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", route.method());
                throw new ApiError(405, "method_not_allowed", path + " takes " + route.method() + ", not "
                        + exchange.getRequestMethod());
            }
            if (route.access() != Route.Access.OPEN && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                throw new ApiError(401, "unauthorized", "missing or wrong API key: send the header "
                        + "'Authorization: Bearer <key>'");
            }
            byte[] body = route.method().equals("POST") ? readBody(exchange) : new byte[0];
            boolean inference = route.access() == Route.Access.INFERENCE;
            if (inference && !permits.tryAcquire()) {
                throw ApiError.overloaded("Model is overloaded (" + options.maxConcurrentRequests()
                        + " requests in progress; max concurrent requests)");
            }
            try {
                return route.handler().handle(new Request(path, body, start + options.requestTimeout().toNanos()));
            } finally {
                if (inference) {
                    permits.release();
                }
            }
        } catch (ApiError e) {
            return error(route, e);
        } catch (TimeoutException e) {
            return error(route, ApiError.timeout("the request waited more than " + options.requestTimeout().toMillis()
                    + " ms for the model (request timeout)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(route, new ApiError(503, "unhealthy", "interrupted"));
        } catch (IllegalStateException e) {
            if (stopping) {
                return error(route, new ApiError(503, "unhealthy", "the server is shutting down"));
            }
            return internal(route, e);
        } catch (Exception | StackOverflowError e) {
            return internal(route, e);
        } catch (OutOfMemoryError e) {
            return error(route, new ApiError(503, "overloaded", "out of memory: " + e.getMessage()));
        }
    }

    private Response internal(Route route, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "bert4j serve: " + (route == null ? "" : route.path() + ": ") + e, e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return error(route, new ApiError(500, "backend", message));
    }

    private static Response error(Route route, ApiError e) {
        byte[] body = route != null && route.openAi() ? JsonOut.openAiError(e) : JsonOut.error(e);
        return new Response(e.status(), "application/json", body);
    }

    private boolean authorized(HttpExchange exchange) {
        if (authorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        // A comparison whose time does not depend on where the key first differs.
        return given != null && MessageDigest.isEqual(authorization, given.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        int limit = options.payloadLimit();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length is not a number: " + declared);
            }
            if (length > limit) {
                // Not read: the connection is closed after the answer rather than drained.
                exchange.getResponseHeaders().set("Connection", "close");
                throw tooLarge(limit);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "validation", "the request body is larger than the payload limit (" + limit
                + " bytes)");
    }

    /**
     * Graceful stop: stops accepting connections, waits for the requests in progress (at most the request timeout,
     * plus a second), lets the queue finish what it holds, then closes the model. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            http.stop((int) Math.min(Integer.MAX_VALUE, options.requestTimeout().toSeconds() + 1));
            executor.close();
            served.close();
        } finally {
            closed.countDown();
        }
    }
}
