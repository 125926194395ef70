package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.SentenceEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every default a command's {@code --help} states is the value the command really takes when the option is absent,
 * and every default the command takes is stated. The command runs (on input that stops it before any model loads)
 * while {@link CommandLine} records the fallback of each option read while absent; the help text is parsed for
 * {@code (default X)}, {@code (default: X)} and {@code X (default)}. A default that depends on the model ("256 for the
 * default model") is checked against the default model. The help said 512 for embed's max length while 256 ran.
 */
class HelpDefaultsTest {
    @TempDir
    static Path dir;
    static Path heads;
    static Path emptyJsonl;
    static Path data;

    /** Literal defaults: one word, a number or a comma list; anything with spaces is a description. */
    static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_.,+-]+");
    static final Pattern PARENTHESISED = Pattern.compile("\\(default(?: for \\w+)?:?\\s+([^;)]+)");
    static final Pattern MARKED_WORD = Pattern.compile("(\\S+) \\(default[;,)]");
    /** An option starts a line indented two spaces; deeper lines continue its description (and may mention --x). */
    static final Pattern OPTION_LINE = Pattern.compile("^ {2}--([a-z][a-z0-9-]*)\\b(.*)$");

    @BeforeAll
    static void files() throws Exception {
        heads = Files.createDirectories(dir.resolve("heads"));
        Files.writeString(heads.resolve("heads.json"), """
                {"format": "bert4j-heads", "version": 1,
                 "backbone": {"reference": "unused", "hidden_size": 16, "max_length": 64},
                 "heads": [{"name": "topic", "kind": "classification"}, {"name": "ner", "kind": "token_classification"}]}
                """);
        emptyJsonl = Files.writeString(dir.resolve("empty.jsonl"), "");
        data = Files.writeString(dir.resolve("data.csv"), "headline,short_description,category\na,b,X\n");
    }

    /** Ways to run each command that read its options and stop before loading a model (empty input, nothing to train). */
    static Map<String, List<List<String>>> recipes() {
        Map<String, List<List<String>>> recipes = new LinkedHashMap<>();
        recipes.put("embed", List.of(List.of(), List.of("--input", emptyJsonl.toString())));
        recipes.put("classify", List.of(List.of("--heads", heads.toString()),
                List.of("--heads", heads.toString(), "--input", emptyJsonl.toString())));
        recipes.put("ner", List.of(List.of("--heads", heads.toString()),
                List.of("--heads", heads.toString(), "--input", emptyJsonl.toString())));
        recipes.put("tokenize", List.of(List.of(), List.of("--input", emptyJsonl.toString())));
        recipes.put("train", List.of(List.of("--data", data.toString(), "--out", dir.resolve("never").toString())));
        recipes.put("evaluate", List.of(List.of("--heads", heads.toString(), "--data", data.toString())));
        recipes.put("convert", List.of(List.of(dir.resolve("absent.onnx").toString(), "--out", dir.resolve("x").toString())));
        recipes.put("info", List.of(List.of("--model", dir.resolve("absent").toString())));
        recipes.put("serve", List.of(List.of("--heads", dir.resolve("absent").toString())));
        recipes.put("rerank", List.of(List.of("--model", dir.resolve("absent").toString(), "--query", "q"),
                List.of("--model", dir.resolve("absent").toString(), "--query", "q", "--input", emptyJsonl.toString())));
        return recipes;
    }

    /** The defaults {@code help} states, option by option: the literal, or the description in brackets. */
    static Map<String, String> documented(String help) {
        Map<String, StringBuilder> text = new LinkedHashMap<>();
        String current = null;
        for (String line : help.lines().toList()) {
            Matcher option = OPTION_LINE.matcher(line);
            if (option.matches()) {
                current = option.group(1);
                text.put(current, new StringBuilder(option.group(2)));
            } else if (current != null && line.startsWith("   ") && !line.isBlank()) {
                text.get(current).append(' ').append(line.strip());
            } else {
                current = null;
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        text.forEach((option, description) -> {
            Matcher parenthesised = PARENTHESISED.matcher(description);
            Matcher marked = MARKED_WORD.matcher(description);
            if (parenthesised.find()) {
                String value = parenthesised.group(1).strip();
                for (String clause : List.of(", ", ": ")) {
                    int at = value.indexOf(clause);
                    value = at > 0 ? value.substring(0, at) : value;
                }
                defaults.put(option, value);
            } else if (marked.find()) {
                defaults.put(option, marked.group(1));
            }
        });
        return defaults;
    }

    /** The defaults the command took, over all its recipes. */
    static Map<String, String> used(Command command, List<List<String>> recipes) throws Exception {
        Map<String, String> used = new LinkedHashMap<>();
        for (List<String> args : recipes) {
            CommandLine line = CommandLine.parse(command.name(), new ArrayList<>(args), command.valuedOptions(), command.switches());
            Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()), false);
            try {
                command.run(line, console);
            } catch (Exception e) {
                // convert and info fail on their missing input once their options are read; train finds nothing to train
            }
            used.putAll(line.defaultsUsed());
        }
        return used;
    }

    static boolean same(String documented, String used) {
        if (documented.equalsIgnoreCase(used)) {
            return true;
        }
        try {
            return Double.parseDouble(documented) == Double.parseDouble(used);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void everyDocumentedDefaultIsTheValueTheCommandTakes() throws Exception {
        Map<String, List<List<String>>> recipes = recipes();
        List<String> problems = new ArrayList<>();
        int literalsChecked = 0;
        for (Command command : Main.standard().commands()) {
            if (!recipes.containsKey(command.name())) {
                fail("no recipe to check the defaults of '" + command.name() + "': add one to HelpDefaultsTest.recipes()");
            }
            Map<String, String> documented = documented(command.help());
            Map<String, String> used = used(command, recipes.get(command.name()));
            for (Map.Entry<String, String> doc : documented.entrySet()) {
                String option = doc.getKey();
                String value = doc.getValue();
                String where = command.name() + " --" + option;
                if (option.equals("model")) {
                    // Resolved on use (converted on first use), never read as a fallback.
                    if (!command.help().contains("default: " + BundledModels.DEFAULT_MODEL)
                            && !command.help().contains(", else " + BundledModels.DEFAULT_MODEL)) {
                        problems.add(where + ": help does not name the default model " + BundledModels.DEFAULT_MODEL);
                    }
                } else if (LITERAL.matcher(value).matches()) {
                    literalsChecked++;
                    if (!used.containsKey(option)) {
                        problems.add(where + ": help says the default is " + value + " but the command read no default");
                    } else if (!same(value, used.get(option))) {
                        problems.add(where + ": help says " + value + ", the command takes " + used.get(option));
                    }
                } else if (value.contains("all cores") && used.containsKey(option) && !used.get(option).equals("0")) {
                    problems.add(where + ": help says all cores (0), the command takes " + used.get(option));
                }
            }
            for (Map.Entry<String, String> use : used.entrySet()) {
                if (!documented.containsKey(use.getKey())) {
                    problems.add(command.name() + " --" + use.getKey() + ": takes " + use.getValue()
                            + " when absent, which its help does not say");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(literalsChecked >= 25, "the parser found only " + literalsChecked + " literal defaults");
    }

    @Test
    void theMaxLengthStatedForTheDefaultModelIsTheOneThatRuns() throws Exception {
        Pattern forDefault = Pattern.compile("(\\d+) for the default model");
        int stated = -1;
        for (String command : List.of("embed", "tokenize")) {
            String help = Main.standard().commands().stream().filter(c -> c.name().equals(command)).findFirst().orElseThrow().help();
            Matcher m = forDefault.matcher(help.replaceAll("\\s+", " "));
            assertTrue(m.find(), command + " --help states the default model's max length");
            stated = Integer.parseInt(m.group(1));
        }
        try (SentenceEncoder encoder = SentenceEncoder.load(BundledModels.defaultModel())) {
            assertEquals(encoder.maxLength(), stated, "embed's truncation");
        }
        Cli run = Cli.run("tokenize", "word ".repeat(1000));
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(stated, JsonParser.parseString(run.out().strip()).getAsJsonObject().getAsJsonArray("ids").size(),
                "tokenize's truncation");
    }

    @Test
    void theParserSeesTheThreeWaysOfWritingADefault() {
        Map<String, String> found = documented("""
                Options:
                  --a N     one (default 32)
                  --b X     two (default: the model's, 256 for it)
                  --c F     jsonl (default; {"index":i}) | csv
                  --d N     a description that goes on
                            to the next line (default: headline,short_description, as in the seed)
                  --f ADDR  where (default 127.0.0.1: this machine only)
                  --g X     a rate (default 1e-4;
                            --a is another's)
                  --e       none
                """);
        assertEquals(Map.of("a", "32", "b", "the model's", "c", "jsonl", "d", "headline,short_description", "f", "127.0.0.1",
                "g", "1e-4"),
                found);
        assertFalse(LITERAL.matcher("the model's").matches());
    }

    @Test
    void nerHelpListsEveryAggregationItAccepts() {
        String help = new NerCommand().help();
        for (String strategy : List.of("none", "simple", "first", "average", "max")) {
            assertTrue(help.contains(strategy), strategy);
            Cli run = Cli.run("ner", "--aggregation", strategy, "--heads", heads.toString());
            assertEquals(Main.OK, run.code(), strategy + " is accepted: " + run.err());
        }
    }
}
