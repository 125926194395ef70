package org.bert4j.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output as a {@link PrintStream} that remembers why a write failed. A plain PrintStream swallows the
 * error and keeps only a flag, so a command could not tell a reader that has gone ({@code | head -1}: stop quietly)
 * from a full disk ({@code > file}: a failure to report). UTF-8, as JSON Lines requires, whatever the locale.
 */
final class Stdout extends PrintStream {
    private final Recorder recorder;

    private Stdout(Recorder recorder) {
        super(new BufferedOutputStream(recorder, 1 << 16), false, StandardCharsets.UTF_8);
        this.recorder = recorder;
    }

    /** The process's file descriptor 1. */
    static Stdout open() {
        return over(new FileOutputStream(FileDescriptor.out));
    }

    /** Standard output over any stream (tests stand in a pipe that breaks). */
    static Stdout over(OutputStream target) {
        return new Stdout(new Recorder(target));
    }

    /** The first write error, or null. */
    IOException failure() {
        return recorder.failure;
    }

    /**
     * Whether a write error means the reading end of a pipe was closed: EPIPE, whose message the JDK takes from the
     * C library ("Broken pipe" on Linux and macOS); Windows says the pipe "is being closed" or "has been ended".
     */
    static boolean isClosedPipe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.contains("Broken pipe") || message.contains("pipe is being closed")
                || message.contains("pipe has been ended");
    }

    /** Passes bytes through and keeps the first exception the target threw. */
    private static final class Recorder extends FilterOutputStream {
        private IOException failure;

        Recorder(OutputStream target) {
            super(target);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        private synchronized void remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }
}
