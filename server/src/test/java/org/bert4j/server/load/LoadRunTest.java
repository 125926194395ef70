package org.bert4j.server.load;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's checks, against a stub server that answers as told: the load test's "no lost or mixed-up
 * answers" is only as good as LoadRun's counting of every answer it gets.
 */
class LoadRunTest {

    static final float[] WANT = {0.1f, -0.2f};

    @Test
    void onlyOneVectorOfTheTextWithinToleranceMatches() {
        assertTrue(LoadRun.matches("[[0.1,-0.2]]", WANT, 1e-5));
        assertTrue(LoadRun.matches("[[0.100001,-0.2]]", WANT, 1e-5));
        assertFalse(LoadRun.matches("[[0.1,-0.3]]", WANT, 1e-5), "another text's vector");
        assertFalse(LoadRun.matches("[[0.1]]", WANT, 1e-5), "too short");
        assertFalse(LoadRun.matches("[[0.1,-0.2],[0.1,-0.2]]", WANT, 1e-5), "two vectors for one text");
        assertFalse(LoadRun.matches("[[0.1,NaN]]", WANT, 1e-5), "NaN");
    }

    @Test
    void aBodyThatIsNotOneVectorIsAMismatchNotAnException() {
        for (String body : List.of("", "[[0.1,", "{\"error\":\"x\",\"error_type\":\"backend\"}", "[[\"a\",\"b\"]]",
                "[[0.1,null]]", "[[[0.1],[-0.2]]]", "[[\"0.1\",\"-0.2\"]]", "[0.1,-0.2]", "null")) {
            assertFalse(LoadRun.matches(body, WANT, 1e-5), body);
        }
    }

    @Test
    void everyAnswerIsCountedEvenAServersGarbage() throws Exception {
        // Good, wrong, cut-short and error answers in turn: each must land in its own count, none end a client.
        List<String> bodies = List.of("[[0.1,-0.2]]", "[[0.5,0.5]]", "[[0.1,", "");
        AtomicInteger served = new AtomicInteger();
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            stub.setExecutor(executor);
            stub.createContext("/embed", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int n = served.getAndIncrement();
                byte[] body = bodies.get(n % bodies.size()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(n % bodies.size() == 3 ? 503 : 200, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                } catch (IOException ignored) {
                    // a client gone: the run counts it on its side
                }
            });
            stub.start();
            URI base = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
            LoadRun.Result r = LoadRun.run(base, List.of("a text"), text -> WANT, 1e-5, 1, Duration.ofSeconds(60), 8,
                    () -> Long.MAX_VALUE);
            assertEquals(8, served.get(), r.summary());
            assertEquals(2, r.ok(), r.summary());
            assertEquals(4, r.mismatches(), r.summary());
            assertEquals(2, r.httpErrors(), r.summary());
            assertEquals(0, r.ioErrors(), r.summary());
        } finally {
            stub.stop(0);
        }
    }
}
