package org.bert4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command reads and writes: data on stdout, progress and errors on stderr, so pipes stay clean.
 * Tests pass their own streams.
 */
public record Console(InputStream in, PrintStream out, PrintStream err, boolean errIsTerminal) {

    /** The process's own streams; stderr counts as a terminal only when it really is one. */
    public static Console system() {
        return new Console(System.in, Stdout.open(), System.err, stderrIsTerminal());
    }

    /**
     * Flushes stdout and throws when it can no longer be written: {@link OutputClosedException} when its reader has
     * gone (the command then stops quietly), an IOException naming the cause otherwise (a full disk is a failure).
     * Commands call it after each batch, so a closed pipe stops the work within one batch.
     */
    public void checkOut() throws IOException {
        if (!out.checkError()) {
            return;
        }
        IOException cause = out instanceof Stdout stdout ? stdout.failure() : null;
        if (cause == null || Stdout.isClosedPipe(cause)) {
            throw new OutputClosedException(cause);   // a PrintStream that hides its cause: most likely a closed pipe
        }
        throw new IOException("cannot write to stdout: " + cause.getMessage(), cause);
    }

    private static boolean stderrIsTerminal() {
        // The JDK can only tell whether stdin/stdout are a terminal; on Linux, fd 2's link names the device.
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
