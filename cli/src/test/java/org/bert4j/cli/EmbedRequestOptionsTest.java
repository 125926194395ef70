package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.Precision;
import org.bert4j.engine.QuantizedEmbeddings;
import org.bert4j.engine.Quantization;
import org.bert4j.engine.SentenceEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embed --prompt, --prompt-name, --truncate-dim, --precision}: what the Java API gives, in every format. */
class EmbedRequestOptionsTest {
    private static final List<String> TEXTS = List.of("The cat is running around outside", "A cat runs outdoors",
            "Stock markets fell sharply on Monday", "Health experts said it is too early", "four");
    /** The CLI and the API run separate forwards, on either side of the JIT warm-up: ~1e-5 apart (EmbedCommandTest). */
    private static final float SAME = 2e-5f;
    private static SentenceEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        encoder = SentenceEncoder.load(BundledModels.defaultModel());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void promptsArePrependedByTextOrByName() throws Exception {
        float[] byHand = encoder.encode("query: " + TEXTS.getFirst());
        assertArrayEquals(byHand, jsonRows(Cli.run("embed", "--prompt", "query: ", TEXTS.getFirst())).getFirst(), SAME);
        Path folder = folderWithPrompts();
        assertArrayEquals(byHand, jsonRows(Cli.run("embed", "--model", folder.toString(), "--prompt-name", "query",
                TEXTS.getFirst())).getFirst(), SAME);

        Cli unknown = Cli.run("embed", "--model", folder.toString(), "--prompt-name", "search", "x");
        assertEquals(Main.USAGE, unknown.code());
        assertTrue(unknown.err().contains("search") && unknown.err().contains("passage"), unknown.err());
        Cli both = Cli.run("embed", "--prompt", "q: ", "--prompt-name", "query", "x");
        assertEquals(Main.USAGE, both.code());
        assertTrue(both.err().contains("not both"), both.err());
    }

    @Test
    void truncateDimKeepsTheFirstValuesAndNormalizeRescalesThem() {
        float[] full = encoder.encode(TEXTS.getFirst());
        float[] cut = jsonRows(Cli.run("embed", "--truncate-dim", "8", TEXTS.getFirst())).getFirst();
        assertArrayEquals(Arrays.copyOf(full, 8), cut, SAME);
        float[] unit = jsonRows(Cli.run("embed", "--truncate-dim", "8", "--normalize", TEXTS.getFirst())).getFirst();
        double norm = 0;
        for (int i = 0; i < 8; i++) {
            norm += (double) cut[i] * cut[i];
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(cut[i] / Math.sqrt(norm), unit[i], SAME);
        }
        Cli tooWide = Cli.run("embed", "--truncate-dim", "385", "x");
        assertEquals(Main.USAGE, tooWide.code());
        assertTrue(tooWide.err().contains("384"), tooWide.err());
    }

    @Test
    void binaryPrecisionsPrintThePackedSigns() {
        float[][] floats = encoder.encode(TEXTS);
        for (Precision p : List.of(Precision.BINARY, Precision.UBINARY)) {
            Cli run = Cli.run(args("--precision", p.label()));
            assertEquals(0, run.code(), run.err());
            QuantizedEmbeddings expected = Quantization.quantize(floats, p);
            List<int[]> rows = intRows(run);
            assertEquals(TEXTS.size(), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                assertArrayEquals(expected.values(r), rows.get(r), p.label() + " row " + r);
            }
        }
    }

    @Test
    void int8RangesComeFromTheWholeInputNotEachBatch() {
        QuantizedEmbeddings expected = Quantization.quantize(encoder.encode(TEXTS), Precision.INT8);
        Cli run = Cli.run(args("--precision", "int8", "--batch-size", "2"));
        assertEquals(0, run.code(), run.err());
        List<int[]> rows = intRows(run);
        int inside = 0;
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < 384; c++) {
                // A value within ~1e-5 of a bucket edge may fall either side of it in another forward.
                assertTrue(Math.abs(expected.value(r, c) - rows.get(r)[c]) <= 1, "row " + r + " column " + c);
                inside += rows.get(r)[c] > -127 && rows.get(r)[c] < 126 ? 1 : 0;
            }
        }
        // Ranges from batches of two texts would put every value at a bucket edge (-128 or 126/127).
        assertTrue(inside > rows.size() * 384 / 2, inside + " values strictly inside their range");
    }

    @Test
    void npyHoldsInt8OrUint8Bytes() throws Exception {
        float[][] floats = encoder.encode(TEXTS);
        for (String[] p : new String[][] {{"uint8", "|u1", "384"}, {"ubinary", "|u1", "48"}, {"binary", "|i1", "48"}}) {
            Path out = dir.resolve(p[0] + ".npy");
            Cli run = Cli.run(args("--precision", p[0], "--format", "npy", "--output", out.toString()));
            assertEquals(0, run.code(), run.err());
            byte[] bytes = Files.readAllBytes(out);
            int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
            assertTrue(header.contains("'descr': '" + p[1] + "'") && header.contains("'shape': (5, " + p[2] + ")"), header);
            assertEquals(10 + headerLength + 5 * Integer.parseInt(p[2]), bytes.length);
            QuantizedEmbeddings expected = Quantization.quantize(floats, Precision.fromName(p[0]));
            int width = Integer.parseInt(p[2]);
            for (int r = 0; r < 5; r++) {
                byte[] row = Arrays.copyOfRange(bytes, 10 + headerLength + r * width, 10 + headerLength + (r + 1) * width);
                for (int c = 0; c < width; c++) {
                    assertTrue(Math.abs(expected.rows()[r][c] - row[c]) <= (p[0].equals("uint8") ? 1 : 0),
                            p[0] + " row " + r + " byte " + c);
                }
            }
        }
    }

    private static String[] args(String... options) {
        List<String> all = new ArrayList<>(List.of("embed"));
        all.addAll(List.of(options));
        all.addAll(TEXTS);
        return all.toArray(new String[0]);
    }

    private static List<float[]> jsonRows(Cli run) {
        assertEquals(0, run.code(), run.err());
        List<float[]> rows = new ArrayList<>();
        for (String line : run.lines()) {
            JsonArray a = JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("embedding");
            float[] v = new float[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i).getAsFloat();
            }
            rows.add(v);
        }
        return rows;
    }

    private static List<int[]> intRows(Cli run) {
        List<int[]> rows = new ArrayList<>();
        for (String line : run.lines()) {
            JsonArray a = JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("embedding");
            int[] v = new int[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i).getAsInt();
            }
            rows.add(v);
        }
        return rows;
    }

    /** The default model's files linked into a folder whose config_sentence_transformers.json has e5-style prompts. */
    private Path folderWithPrompts() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("prompted"));
        try (var files = Files.list(BundledModels.defaultModel())) {
            for (Path f : files.toList()) {
                Files.createSymbolicLink(folder.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}}");
        return folder;
    }
}
