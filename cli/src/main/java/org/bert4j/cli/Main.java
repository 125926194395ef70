package org.bert4j.cli;

/** Entry point of the {@code bert4j} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("bert4j: no commands yet");
        System.exit(2);
    }
}
