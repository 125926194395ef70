package org.bert4j.engine.bert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkspacesTest {

    @Test
    void aReleasedWorkspaceServesTheNextBatchThatFitsWithAFreshResidualStream() {
        Workspaces pool = new Workspaces(8, 32, 2);
        Workspace first = pool.acquire(10);
        float[] output = first.hidden();
        assertEquals(10 * 8, output.length);
        pool.release(first);

        Workspace second = pool.acquire(4);
        assertSame(first, second, "a workspace big enough is reused");
        assertEquals(4 * 8, second.hidden().length, "the residual stream has exactly the batch's rows");
        assertNotSame(output, second.hidden(), "the earlier forward's output is never handed out again");
    }

    @Test
    void aBatchLargerThanTheIdleWorkspaceGetsANewOne() {
        Workspaces pool = new Workspaces(8, 32, 2);
        Workspace small = pool.acquire(4);
        pool.release(small);
        Workspace big = pool.acquire(40);
        assertNotSame(small, big);
        assertTrue(big.capacity() >= 40);
        assertEquals(40 * 8, big.hidden().length);
        assertEquals(40 * 32, big.intermediate.length);
    }

    @Test
    void atMostMaxIdleWorkspacesAreKept() {
        Workspaces pool = new Workspaces(8, 32, 2);
        Workspace a = pool.acquire(5);
        Workspace b = pool.acquire(5);
        Workspace c = pool.acquire(5);
        pool.release(a);
        pool.release(b);
        pool.release(c);   // beyond maxIdle: dropped
        Workspace x = pool.acquire(5);
        Workspace y = pool.acquire(5);
        Workspace z = pool.acquire(5);
        assertSame(a, x);
        assertSame(b, y);
        assertNotSame(c, z);
    }
}
