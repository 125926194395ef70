package org.bert4j.server;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics is valid Prometheus text and counts what happened. */
class MetricsTest {

    /** A sample line: name, optional {labels}, value (Prometheus' text format, version 0.0.4). */
    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|\\+Inf|NaN)");

    static Map<String, Double> scrape(BertServer server) {
        Http.Answer a = Http.get(server, "/metrics");
        assertEquals(200, a.status());
        assertTrue(a.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : a.body().split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a Prometheus sample line: '" + line + "'");
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    void countsRequestsForwardsAndTokens() {
        try (BertServer server = TestServers.start(ServerOptions.defaults().withPort(0), false)) {
            Map<String, Double> before = scrape(server);
            assertEquals(0.0, before.get("bert4j_batch_sequences_count"));
            Http.post(server, "/embed", "{\"inputs\": [\"one two\", \"three\"]}");
            Http.post(server, "/embed", "{\"inputs\": 3}");
            Map<String, Double> after = scrape(server);
            assertEquals(1.0, after.get("bert4j_requests_total{route=\"/embed\",status=\"200\"}"));
            assertEquals(1.0, after.get("bert4j_requests_total{route=\"/embed\",status=\"422\"}"));
            assertEquals(1.0, after.get("bert4j_batch_sequences_count"), "two texts of one request: one forward");
            assertEquals(2.0, after.get("bert4j_batch_sequences_sum"));
            assertEquals(7.0, after.get("bert4j_tokens_total"), "[CLS] one two [SEP] + [CLS] three [SEP]");
            assertEquals(7.0, after.get("bert4j_batch_tokens_sum"));
            assertEquals(2.0, after.get("bert4j_request_duration_seconds_count{route=\"/embed\"}"));
            assertEquals(0.0, after.get("bert4j_queue_depth"));
            assertTrue(after.get("bert4j_jvm_heap_used_bytes") > 0);
            assertTrue(after.get("process_resident_memory_bytes") > 0);
        }
    }
}
