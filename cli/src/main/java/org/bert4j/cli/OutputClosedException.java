package org.bert4j.cli;

import java.io.IOException;

/**
 * Standard output was closed by its reader ({@code bert4j embed ... | head -1}): the command stops at the end of the
 * batch it was writing and exits quietly with {@link Main#OUTPUT_CLOSED}, as a Unix tool stopped by SIGPIPE does.
 */
final class OutputClosedException extends IOException {
    OutputClosedException(IOException cause) {
        super("stdout was closed by its reader", cause);
    }
}
