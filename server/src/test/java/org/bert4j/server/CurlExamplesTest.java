package org.bert4j.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code $ curl ...} example of docs/server.md runs against a real server (the default model with the test
 * heads), and prints what the page says it prints, so the page cannot drift from the server. An output line may end
 * in "…": the rest is not compared. Numbers compare within 1e-5 (the bound EmbedRoutesTest gives), the rest
 * exactly.
 */
class CurlExamplesTest {

    static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    record Example(String command, String output, int line) {
    }

    static List<Example> examples(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Example> out = new ArrayList<>();
        boolean inConsole = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inConsole = !inConsole && line.equals("```console");
                continue;
            }
            if (!inConsole || !line.startsWith("$ curl")) {
                continue;
            }
            int first = i + 1;
            StringBuilder command = new StringBuilder(line.substring(2));
            while (command.toString().endsWith("\\")) {
                command.setLength(command.length() - 1);
                command.append('\n').append(lines.get(++i));
            }
            StringBuilder output = new StringBuilder();
            while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("$ ") && !lines.get(i + 1).startsWith("```")) {
                output.append(lines.get(++i)).append('\n');
            }
            out.add(new Example(command.toString(), output.toString(), first));
        }
        return out;
    }

    @Test
    void everyCurlExampleOfTheDocPrintsWhatTheDocSays() throws Exception {
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("server.md");
        assertTrue(Files.isRegularFile(doc), "the doc is missing: " + doc);
        List<Example> examples = examples(doc);
        assertTrue(examples.size() >= 8, "docs/server.md should show the routes with curl; found " + examples.size());
        BertServer server = TestServers.shared();
        String address = "localhost:" + server.port();
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            String command = example.command().replace("localhost:8080", address);
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("line " + example.line() + ": did not finish: " + command);
            }
            if (p.exitValue() == 127) {
                fail("curl (or bash) is not installed: these examples need it");
            }
            String problem = compare(example.output(), got);
            if (problem != null) {
                failures.add("docs/server.md line " + example.line() + ": " + problem + "\n  command: " + command
                        + "\n  printed: " + got.strip());
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Null when {@code got} matches {@code want} line by line (numbers within 1e-5, "…" ends a line's check). */
    static String compare(String want, String got) {
        String[] wantLines = want.strip().split("\n", -1);
        String[] gotLines = got.strip().split("\n", -1);
        if (want.isBlank()) {
            return got.isBlank() ? null : "printed something where the doc shows nothing";
        }
        if (gotLines.length < wantLines.length) {
            return "printed " + gotLines.length + " lines, the doc shows " + wantLines.length;
        }
        for (int i = 0; i < wantLines.length; i++) {
            String w = wantLines[i];
            boolean prefix = w.endsWith("…");
            if (prefix) {
                w = w.substring(0, w.length() - 1);
            }
            String problem = compareLine(w, gotLines[i], prefix);
            if (problem != null) {
                return "line " + (i + 1) + " of the output: " + problem;
            }
        }
        return null;
    }

    private static String compareLine(String want, String got, boolean prefix) {
        Matcher w = NUMBER.matcher(want);
        Matcher g = NUMBER.matcher(got);
        int wi = 0;
        int gi = 0;
        while (true) {
            boolean wn = w.find(wi);
            int wEnd = wn ? w.start() : want.length();
            String wText = want.substring(wi, wEnd);
            if (!got.startsWith(wText, gi)) {
                return "expected '" + wText + "' at column " + gi;
            }
            gi += wText.length();
            if (!wn) {
                return prefix || gi == got.length() ? null : "unexpected text after column " + gi;
            }
            if (!g.find(gi) || g.start() != gi) {
                return "expected the number " + w.group() + " at column " + gi;
            }
            // A number the doc cut short ("0.0778…") is a prefix; a whole one compares within 1e-5.
            boolean lastAndCut = prefix && w.end() == want.length();
            if (lastAndCut ? !g.group().startsWith(w.group())
                    : Math.abs(Double.parseDouble(w.group()) - Double.parseDouble(g.group())) > 1e-5) {
                return "expected " + w.group() + ", got " + g.group() + " at column " + gi;
            }
            wi = w.end();
            gi = g.end();
        }
    }

    @Test
    void theComparisonCatchesWhatDiffers() {
        assertEquals(null, compare("[[0.1234567,…\n", "[[0.12345671,0.5]]"));
        assertEquals(null, compare("[[-0.0778…\n", "[[-0.07785143]]"));
        assertTrue(compare("[[0.1234567]]\n", "[[0.1235567]]") != null, "a number off by 1e-4");
        assertTrue(compare("[[-0.0778…\n", "[[-0.0788]]") != null, "a cut number must be a prefix");
        assertTrue(compare("{\"a\":1}\n", "{\"b\":1}") != null, "text differs");
        assertTrue(compare("{\"a\":1}\n", "{\"a\":1,\"b\":2}") != null, "more text than the doc shows");
        assertTrue(compare("200\n", "") != null, "nothing printed");
    }
}
