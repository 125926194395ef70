package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void noArgumentsPrintsTheCommandListWithUsageExitCode() {
        Cli run = Cli.run();
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("Commands:") && run.err().contains("tokenize"), run.err());
    }

    @Test
    void helpGoesToStdoutAndSucceeds() {
        Cli run = Cli.run("--help");
        assertEquals(Main.OK, run.code());
        assertTrue(run.out().contains("convert"), run.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"embed", "classify", "ner", "train", "evaluate", "tokenize", "convert", "info"}) {
            Cli run = Cli.run(command, "--help");
            assertEquals(Main.OK, run.code(), command);
            assertTrue(run.out().startsWith("Usage: bert4j " + command), run.out());
        }
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli run = Cli.run("embedd", "x");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("unknown command 'embedd'"), run.err());
    }
}
