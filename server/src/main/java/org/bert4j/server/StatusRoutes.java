package org.bert4j.server;

import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.TokenClassificationHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/** {@code GET /health}, {@code GET /info} (TEI's fields, plus the heads served) and {@code GET /metrics}. */
final class StatusRoutes {

    private final ServedModel served;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final BooleanSupplier healthy;

    StatusRoutes(ServedModel served, ServerOptions options, ServerMetrics metrics, BooleanSupplier healthy) {
        this.served = served;
        this.options = options;
        this.metrics = metrics;
        this.healthy = healthy;
    }

    List<Route> routes() {
        return List.of(Route.get("/health", Route.Access.OPEN, this::health),
                Route.get("/info", Route.Access.TOOL, this::info),
                Route.get("/metrics", Route.Access.TOOL, this::metrics));
    }

    /** 200 with no body while serving; 503 {@code unhealthy} once shutting down, so balancers stop sending. */
    private Response health(Request request) {
        if (!healthy.getAsBoolean()) {
            throw new ApiError(503, "unhealthy", "unhealthy: the server is shutting down");
        }
        return Response.empty();
    }

    private Response info(Request request) {
        return Response.json(json -> {
            json.beginObject();
            json.name("model_id").value(served.name());
            json.name("model_sha").nullValue();
            json.name("model_dtype").value("float32");
            json.name("model_type").beginObject().name("embedding").beginObject().name("pooling")
                    .value(served.pooling().name().toLowerCase(Locale.ROOT)).endObject().endObject();
            json.name("max_concurrent_requests").value(options.maxConcurrentRequests());
            json.name("max_input_length").value(served.inputs().maxLength());
            json.name("max_batch_tokens").value(options.maxBatchTokens());
            if (options.maxBatchRequests() == 0) {
                json.name("max_batch_requests").nullValue();
            } else {
                json.name("max_batch_requests").value(options.maxBatchRequests());
            }
            json.name("max_client_batch_size").value(options.maxClientBatchSize());
            json.name("auto_truncate").value(options.autoTruncate());
            // Requests tokenise on their own (virtual) threads: there is no separate pool as in TEI.
            json.name("tokenization_workers").value(Runtime.getRuntime().availableProcessors());
            json.name("version").value(version());
            json.name("sha").nullValue();
            json.name("docker_label").nullValue();
            json.name("hidden_size").value(served.dimension());
            json.name("heads").beginArray();
            if (served.heads() != null) {
                for (Head head : served.heads().heads().values()) {
                    json.beginObject().name("name").value(head.name()).name("kind").value(head.kind().id());
                    switch (head) {
                        case ClassificationHead c -> json.name("pooling").value(c.pooling().name().toLowerCase(Locale.ROOT));
                        case TokenClassificationHead t -> json.name("aggregation")
                                .value(t.aggregation().name().toLowerCase(Locale.ROOT));
                    }
                    json.name("labels").beginArray();
                    for (String label : head.labels().labels()) {
                        json.value(label);
                    }
                    json.endArray().endObject();
                }
            }
            json.endArray();
            json.name("reranker").value(served.reranker() != null);
            json.name("prompts").beginArray();
            for (String name : served.prompts().names()) {
                json.value(name);
            }
            json.endArray();
            json.endObject();
        });
    }

    private Response metrics(Request request) {
        return Response.text("text/plain; version=0.0.4; charset=utf-8", metrics.render(served.queue().depth()));
    }

    /** The project version, from the resource the build fills in. */
    static String version() {
        try (InputStream in = StatusRoutes.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
