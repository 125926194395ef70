package org.bert4j.cli;

import java.util.Set;

/** One sub-command of {@code bert4j}: what it is called, what it takes, and how it runs. */
public interface Command {
    /** The word after {@code bert4j}, e.g. {@code embed}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full {@code --help} text. */
    String help();

    /** Options that take a value (without the leading dashes). */
    Set<String> valuedOptions();

    /** Options that are plain switches. */
    Set<String> switches();

    /** Runs the command; returns the exit code. Throws {@link UsageException} for a usage mistake. */
    int run(CommandLine args, Console console) throws Exception;
}
