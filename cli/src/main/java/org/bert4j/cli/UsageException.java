package org.bert4j.cli;

/** A mistake in how the command was called: reported in one line with exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
