package org.bert4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one command: {@code --name value} / {@code --name=value} options, {@code --flag}
 * switches and positional arguments, checked against what the command declares.
 */
public final class CommandLine {
    private final String command;
    private final Map<String, String> options;
    private final Set<String> flags;
    private final List<String> positionals;
    /** The fallback of every option read while absent: the defaults this run used, for help-text checks. */
    private final Map<String, String> defaultsUsed = new LinkedHashMap<>();

    private CommandLine(String command, Map<String, String> options, Set<String> flags, List<String> positionals) {
        this.command = command;
        this.options = options;
        this.flags = flags;
        this.positionals = positionals;
    }

    /**
     * Parses {@code args}; {@code valued} names the options that take a value, {@code switches} the flags.
     * Anything else starting with {@code --} is a usage error; {@code --} ends the options.
     */
    public static CommandLine parse(String command, List<String> args, Set<String> valued, Set<String> switches) {
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> flags = new java.util.LinkedHashSet<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--")) {
                throw new UsageException(command + ": unknown option '" + arg + "' (see bert4j " + command + " --help)");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (valued.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(command + ": option --" + name + " needs a value");
                }
                if (options.put(name, value) != null) {
                    throw new UsageException(command + ": option --" + name + " given twice");
                }
            } else if (switches.contains(name) || name.equals("help") || name.equals("debug")) {
                if (eq >= 0) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                flags.add(name);
            } else {
                throw new UsageException(command + ": unknown option '--" + name + "' (see bert4j " + command + " --help)");
            }
        }
        return new CommandLine(command, options, flags, positionals);
    }

    /** The command name, for messages. */
    public String command() {
        return command;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public String get(String option) {
        return options.get(option);
    }

    public String get(String option, String fallback) {
        if (!options.containsKey(option)) {
            usedDefault(option, fallback);
        }
        return options.getOrDefault(option, fallback);
    }

    /**
     * The fallback of each option that was read while absent, as text: what this run took as the default. A test
     * compares them with what {@code --help} says the defaults are, so the two cannot drift apart.
     */
    Map<String, String> defaultsUsed() {
        return java.util.Collections.unmodifiableMap(defaultsUsed);
    }

    private void usedDefault(String option, Object fallback) {
        if (fallback != null) {
            defaultsUsed.put(option, fallback instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(fallback));
        }
    }

    /** An integer option within [min, max], or the fallback when absent. */
    public int getInt(String option, int fallback, int min, int max) {
        String value = options.get(option);
        if (value == null) {
            usedDefault(option, fallback);
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new UsageException(command + ": --" + option + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + option + " must be an integer, got '" + value + "'");
        }
    }

    /** A floating-point option within [min, max], or the fallback when absent. */
    public double getDouble(String option, double fallback, double min, double max) {
        String value = options.get(option);
        if (value == null) {
            usedDefault(option, fallback);
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!(parsed >= min && parsed <= max)) {
                throw new UsageException(command + ": --" + option + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + option + " must be a number, got '" + value + "'");
        }
    }

    /** One of the allowed words (case-insensitive), or the fallback when absent. */
    public String getChoice(String option, String fallback, List<String> allowed) {
        String value = options.get(option);
        if (value == null) {
            usedDefault(option, fallback);
            return fallback;
        }
        String lower = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new UsageException(command + ": --" + option + " must be one of " + String.join("|", allowed) + ", got '" + value + "'");
        }
        return lower;
    }

    /** A comma-separated list option, trimmed, empty entries dropped; empty list when absent. */
    public List<String> getList(String option) {
        String value = options.get(option);
        if (value == null) {
            return List.of();
        }
        return split(value);
    }

    /** As {@link #getList(String)}, with {@code fallback} when the option is absent or lists nothing. */
    public List<String> getList(String option, List<String> fallback) {
        List<String> items = getList(option);
        if (items.isEmpty()) {
            usedDefault(option, fallback);
            return fallback;
        }
        return items;
    }

    private static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return items;
    }

    public List<String> positionals() {
        return positionals;
    }
}
