package org.bert4j.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bert4j serve}'s usage errors and start-up failures: one line, the right exit code, no server left. */
class ServeCommandTest {

    @Test
    void helpListsTheOptions() {
        Cli run = Cli.run("serve", "--help");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("--max-batch-tokens") && run.out().contains("--api-key"), run.out());
        assertTrue(Cli.run("--help").out().contains("serve"), "the command list names serve");
    }

    @Test
    void usageMistakesExitWith2NamingTheOption() {
        assertUsage(Cli.run("serve", "--port", "70000"), "--port must be between 0 and 65535");
        assertUsage(Cli.run("serve", "--heads", "/no/such/heads"), "heads folder not found: /no/such/heads");
        assertUsage(Cli.run("serve", "some-text"), "unexpected argument 'some-text'");
        assertUsage(Cli.run("serve", "--max-batch-tokens", "10"),
                "max batch tokens (10) must be at least the max input length (256)");
    }

    @Test
    void aPortInUseIsAFailureNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli run = Cli.run("serve", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), run.err());
        }
    }

    static void assertUsage(Cli run, String message) {
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(message), "'" + run.err() + "' should contain '" + message + "'");
    }
}
