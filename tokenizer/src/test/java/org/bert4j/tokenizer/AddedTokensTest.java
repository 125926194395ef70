package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddedTokensTest {
    private final AddedTokens added = new AddedTokens(List.of(new AddedTokens.Token("[MASK]", 1, true),
            new AddedTokens.Token("[MASK][MASK]", 2, false), new AddedTokens.Token("[M", 3, false)));

    @Test
    void theLongestTokenStartingHereWins() {
        assertEquals(2, added.matchAt("x[MASK][MASK]", 1, 13).id());
        assertEquals(1, added.matchAt("x[MASK][MAS", 1, 11).id());
        assertEquals(3, added.matchAt("[MAS", 0, 4).id());
    }

    @Test
    void matchingIsCaseSensitiveAndRespectsTheLimit() {
        assertNull(added.matchAt("[mask]", 0, 6));
        assertEquals(3, added.matchAt("[MASK]", 0, 5).id());
        assertNull(added.matchAt("x", 0, 1));
    }
}
