package org.bert4j.server;

import java.nio.charset.StandardCharsets;

/** What a route answers: status, content type and the whole body, already serialised. */
record Response(int status, String contentType, byte[] body) {

    static Response json(byte[] body) {
        return new Response(200, "application/json", body);
    }

    static Response json(JsonOut.Body body) {
        return json(JsonOut.bytes(body));
    }

    static Response text(String contentType, String text) {
        return new Response(200, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static Response empty() {
        return new Response(200, "text/plain", new byte[0]);
    }
}
