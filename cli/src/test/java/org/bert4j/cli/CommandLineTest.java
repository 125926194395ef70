package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine parse(String... args) {
        return CommandLine.parse("embed", List.of(args), Set.of("model", "batch-size", "columns"), Set.of("normalize"));
    }

    @Test
    void optionsFlagsAndPositionalsAreSeparated() {
        CommandLine line = parse("--model", "m", "hello", "--normalize", "--batch-size=8", "world");
        assertEquals("m", line.get("model"));
        assertEquals(8, line.getInt("batch-size", 32, 1, 4096));
        assertTrue(line.has("normalize"));
        assertEquals(List.of("hello", "world"), line.positionals());
    }

    @Test
    void doubleDashEndsOptionsSoTextsMayStartWithDashes() {
        CommandLine line = parse("--", "--normalize", "-x");
        assertEquals(List.of("--normalize", "-x"), line.positionals());
    }

    @Test
    void unknownOptionIsAUsageErrorNamingIt() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--modle", "x"));
        assertTrue(e.getMessage().contains("--modle"), e.getMessage());
    }

    @Test
    void missingValueIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--model"));
        assertTrue(e.getMessage().contains("--model needs a value"), e.getMessage());
    }

    @Test
    void outOfRangeIntegerNamesTheOptionAndBounds() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--batch-size", "0").getInt("batch-size", 32, 1, 4096));
        assertTrue(e.getMessage().contains("--batch-size must be between 1 and 4096"), e.getMessage());
        assertThrows(UsageException.class, () -> parse("--batch-size", "many").getInt("batch-size", 32, 1, 4096));
    }

    @Test
    void listOptionSplitsOnCommas() {
        assertEquals(List.of("headline", "short_description"), parse("--columns", "headline, short_description,").getList("columns"));
    }
}
