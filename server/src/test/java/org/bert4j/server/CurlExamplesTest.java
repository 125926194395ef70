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
 * Every {@code $ curl ...} example of docs/server.md and of the README runs against a real server (the default model
 * with the test heads), and prints what the page says it prints, so neither page can drift from the server. A "…" in
 * an output line stands for text the page leaves out: at the end of a line, the rest is not compared; inside a line
 * (the README's {@code [[-0.07785143,…]]}), the printed line must go on to end as the page's does. Numbers compare
 * within 1e-5 (the bound EmbedRoutesTest gives), the rest exactly.
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
    void everyCurlExampleOfTheServerDocPrintsWhatTheDocSays() throws Exception {
        assertEquals(List.of(), failures(Path.of("docs", "server.md"), 8));
    }

    @Test
    void everyCurlExampleOfTheReadmePrintsWhatTheReadmeSays() throws Exception {
        assertEquals(List.of(), failures(Path.of("README.md"), 1));
    }

    /** Runs every curl example of {@code page} (relative to the checkout) and lists those that printed otherwise. */
    private static List<String> failures(Path page, int atLeast) throws Exception {
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling(page.toString());
        assertTrue(Files.isRegularFile(doc), "the page is missing: " + doc);
        List<Example> examples = examples(doc);
        assertTrue(examples.size() >= atLeast, page + " should show the server with curl (at least " + atLeast
                + " examples); found " + examples.size());
        BertServer server = TestServers.shared();
        String address = "localhost:" + server.port();
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            String command = example.command().replace("localhost:8080", address);
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(page + " line " + example.line() + ": did not finish: " + command);
            }
            if (p.exitValue() == 127) {
                fail("curl (or bash) is not installed: these examples need it");
            }
            String problem = compare(example.output(), got);
            if (problem != null) {
                failures.add(page + " line " + example.line() + ": " + problem + "\n  command: " + command
                        + "\n  printed: " + shortened(got.strip()));
            }
        }
        return failures;
    }

    /** A 384-number vector makes a failure unreadable: its start says enough. */
    private static String shortened(String printed) {
        return printed.length() <= 400 ? printed : printed.substring(0, 400) + "… (" + printed.length() + " chars)";
    }

    /** Null when {@code got} matches {@code want} line by line (numbers within 1e-5, "…" for text left out). */
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
            String problem = compareElided(wantLines[i], gotLines[i]);
            if (problem != null) {
                return "line " + (i + 1) + " of the output: " + problem;
            }
        }
        return null;
    }

    /**
     * Null when {@code got} matches {@code want}, each "…" of {@code want} standing for any text (none included): the
     * text before the first "…" must begin {@code got}, a number just before it may be cut short, and the rest must
     * match what follows some point of {@code got}, tried from the end so a trailing "…" costs one comparison.
     */
    private static String compareElided(String want, String got) {
        int gap = want.indexOf('…');
        if (gap < 0) {
            return compareLine(want, got, false);
        }
        String head = want.substring(0, gap);
        String rest = want.substring(gap + 1);
        for (int p = got.length(); p >= 0; p--) {
            if (compareElided(rest, got.substring(p)) == null && compareLine(head, got.substring(0, p), true) == null) {
                return null;
            }
        }
        String problem = compareLine(head, got, true);
        return problem != null ? problem : "the line does not end as the page's does ('…" + rest + "')";
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
        assertEquals(null, compare("[[-0.07785143,-0.03328043,…]]\n", "[[-0.07785143,-0.03328043,0.5,0.25]]"));
        assertEquals(null, compare("[[-0.0778…,…]]\n", "[[-0.07785143,0.5]]"), "a cut number, then a gap");
        assertEquals(null, compare("[[1,…,4]]\n", "[[1,2,3,4]]"), "numbers after a gap compare too");
        assertTrue(compare("[[1,…,4]]\n", "[[1,2,3,5]]") != null, "a number after the gap differs");
        assertTrue(compare("[[-0.07785143,…]]\n", "[[-0.07785143,0.5]") != null, "the end differs");
        assertTrue(compare("[[-0.07785143,…]]\n", "[[-0.0788,0.5]]") != null, "the start differs");
    }
}
