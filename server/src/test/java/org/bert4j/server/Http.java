package org.bert4j.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the tests: one call, the status and the body. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer. */
    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonElement json() {
            return JsonParser.parseString(body);
        }

        /** TEI's error_type of an error answer. */
        String errorType() {
            return json().getAsJsonObject().get("error_type").getAsString();
        }

        /** TEI's error message of an error answer. */
        String error() {
            return json().getAsJsonObject().get("error").getAsString();
        }
    }

    private Http() {
    }

    static Answer post(BertServer server, String path, String json) {
        return send(server, HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Answer get(BertServer server, String path) {
        return send(server, HttpRequest.newBuilder(server.uri().resolve(path)).GET());
    }

    static Answer send(BertServer server, HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static URI uri(BertServer server, String path) {
        return server.uri().resolve(path);
    }
}
