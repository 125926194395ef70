package org.bert4j.server;

/**
 * One route of the server: its method and path, what it costs, and its handler.
 *
 * @param method  "GET" or "POST"
 * @param path    the exact path ({@code /embed}); no prefix matching
 * @param access  who may call it and whether it takes one of the inference permits
 * @param openAi  whether errors take the OpenAI route's shape ({@code message, code, type})
 * @param handler what answers it
 */
record Route(String method, String path, Access access, boolean openAi, Handler handler) {

    /** How a route is guarded. */
    enum Access {
        /** No API key needed, no permit: {@code /health}. */
        OPEN,
        /** API key when one is set; no permit: tokenising, info, metrics. */
        TOOL,
        /** API key when one is set, and one of {@code max_concurrent_requests} permits (429 when none is left). */
        INFERENCE
    }

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    static Route post(String path, Access access, Handler handler) {
        return new Route("POST", path, access, false, handler);
    }

    static Route get(String path, Access access, Handler handler) {
        return new Route("GET", path, access, false, handler);
    }
}
