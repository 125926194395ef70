package org.bert4j.server;

/**
 * One HTTP request as a route sees it: its body, read whole and within the payload limit, and the moment by which
 * it must be answered ({@link System#nanoTime()} scale).
 */
record Request(String path, byte[] body, long deadlineNanos) {

    /** The body as a JSON object; a 422 naming the problem when it is not one. */
    JsonBody json() {
        return JsonBody.parse(body);
    }
}
