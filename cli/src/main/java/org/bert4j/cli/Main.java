package org.bert4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Entry point of the {@code bert4j} command: picks the sub-command, turns failures into one clear line
 * on stderr, and maps them to exit codes (0 ok, 1 failure, 2 usage error, 141 stdout closed by its reader).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** Stdout's reader went away ({@code | head}): 128 + SIGPIPE, what a shell reports for a C tool killed by it. */
    public static final int OUTPUT_CLOSED = 141;

    private final Map<String, Command> commands;

    Main(List<Command> commands) {
        this.commands = commands.stream()
                .collect(Collectors.toMap(Command::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** The commands of the product, in the order {@code --help} lists them. */
    static Main standard() {
        return new Main(List.of(new EmbedCommand(), new ClassifyCommand(), new NerCommand(), new RerankCommand(), new TrainCommand(), new EvaluateCommand(), new TokenizeCommand(), new ConvertCommand(), new InfoCommand(), new ServeCommand()));
    }

    /** The commands, in --help order. */
    java.util.Collection<Command> commands() {
        return commands.values();
    }

    public static void main(String[] args) {
        // Library notices (e.g. which pooling a model folder declares) as one plain line on stderr.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
        }
        Console console = Console.system();
        int code = standard().run(List.of(args), console);
        console.out().flush();
        System.exit(code);
    }

    /** Runs one invocation and returns its exit code; never throws. */
    public int run(List<String> argv, Console console) {
        boolean debug = argv.contains("--debug");
        if (argv.isEmpty() || argv.getFirst().equals("--help") || argv.getFirst().equals("-h") || argv.getFirst().equals("help")) {
            (argv.isEmpty() ? console.err() : console.out()).print(overview());
            return argv.isEmpty() ? USAGE : OK;
        }
        String name = argv.getFirst();
        Command command = commands.get(name);
        if (command == null) {
            console.err().println("bert4j: unknown command '" + name + "'. Commands: " + String.join(", ", commands.keySet())
                    + ". See bert4j --help.");
            return USAGE;
        }
        try {
            CommandLine line = CommandLine.parse(name, new ArrayList<>(argv.subList(1, argv.size())),
                    command.valuedOptions(), command.switches());
            if (line.has("help")) {
                console.out().print(command.help());
                return OK;
            }
            return command.run(line, console);
        } catch (UsageException e) {
            console.err().println("bert4j " + e.getMessage());
            return USAGE;
        } catch (OutputClosedException e) {
            return OUTPUT_CLOSED;   // quietly, as 'seq 1000000 | head -1' ends: the reader asked for no more
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            report(console.err(), name, e, debug);
            return FAILURE;
        }
    }

    private static void report(PrintStream err, String command, Throwable e, boolean debug) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (e instanceof OutOfMemoryError) {
            message = "out of memory (" + message + "); give the JVM more heap, e.g. BERT4J_JAVA_OPTS=-Xmx8g";
        }
        err.println("bert4j " + command + ": " + message.strip().replace('\n', ' ')
                + (debug ? "" : "  (--debug shows the stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
    }

    private String overview() {
        StringBuilder text = new StringBuilder("""
                bert4j: BERT-family transformers in pure Java.

                Usage: bert4j <command> [options] [TEXT...]

                Commands:
                """);
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(8);
        for (Command command : commands.values()) {
            text.append("  ").append(command.name()).append(" ".repeat(width - command.name().length() + 2))
                    .append(command.summary()).append('\n');
        }
        text.append("""

                Run 'bert4j <command> --help' for a command's options. Add --debug to see stack traces.
                Exit codes: 0 success, 1 failure, 2 usage error, 141 stdout closed by its reader (| head).
                """);
        return text.toString();
    }
}
