package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bert4j.convert.BundledModels;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.folder.Pooling;
import org.bert4j.engine.SentenceEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
    static final String SEED = "The cat is running around outside";
    static SentenceEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void openTheApi() throws Exception {
        encoder = SentenceEncoder.load(BundledModels.defaultModel());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static float[] floats(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }

    @Test
    void theSeedsExamplePrintsTheJavaApisVectorOf384Floats() {
        Cli run = Cli.run("embed", SEED);
        assertEquals(0, run.code(), run.err());
        JsonObject json = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        assertEquals(0, json.get("index").getAsInt());
        float[] printed = floats(json.getAsJsonArray("embedding"));
        assertEquals(384, printed.length);
        // Equal up to rounding (1e-5 on a unit vector whose entries are ~0.05): the two runs may fall on either side
        // of the JIT warm-up, after which the engine moves from its cold-start scalar kernels (and OpenBLAS for small
        // products) to its vector code; the two GEMM backends alone differ by up to ~1e-5 in the hidden states.
        assertArrayEquals(encoder.encode(SEED), printed, 1e-5f, "embed prints what SentenceEncoder returns");
    }

    @Test
    void outputKeepsInputOrderAcrossBatches() {
        List<String> texts = List.of("one", "two words", "a third, longer text with punctuation!", "4", "five five five");
        String[] args = new String[texts.size() + 3];
        args[0] = "embed";
        args[1] = "--batch-size";
        args[2] = "2";
        for (int i = 0; i < texts.size(); i++) {
            args[3 + i] = texts.get(i);
        }
        Cli run = Cli.run(args);
        assertEquals(0, run.code(), run.err());
        float[][] expected = encoder.encode(texts);
        assertEquals(texts.size(), run.lines().size());
        for (int i = 0; i < texts.size(); i++) {
            JsonObject json = JsonParser.parseString(run.lines().get(i)).getAsJsonObject();
            assertEquals(i, json.get("index").getAsInt());
            assertArrayEquals(expected[i], floats(json.getAsJsonArray("embedding")), 1e-5f, texts.get(i));
        }
    }

    @Test
    void npyOutputIsAFloat32MatrixOfTheEmbeddings() throws Exception {
        Path input = dir.resolve("texts.txt");
        Files.writeString(input, "first line\nsecond line\nthird\n");
        Path out = dir.resolve("e.npy");
        Cli run = Cli.run("embed", "--input", input.toString(), "--format", "npy", "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        byte[] bytes = Files.readAllBytes(out);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (3, 384)"), header);
        float[] data = new float[3 * 384];
        ByteBuffer.wrap(bytes, 10 + headerLength, data.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        float[][] expected = encoder.encode(List.of("first line", "second line", "third"));
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(expected[r], java.util.Arrays.copyOfRange(data, r * 384, (r + 1) * 384), 1e-5f);
        }
        assertTrue(Files.notExists(dir.resolve("e.npy.incomplete")));
    }

    @Test
    void csvFormatAndCsvInputColumns() throws Exception {
        Path input = dir.resolve("news.csv");
        Files.writeString(input, "headline,short_description\n\"Cats, dogs\",They play\n");
        Cli run = Cli.run("embed", "--input", input.toString(), "--columns", "headline,short_description", "--format", "csv");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.lines();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("index,e0,e1,") && lines.get(0).endsWith(",e383"), lines.get(0));
        String[] cells = lines.get(1).split(",");
        float[] values = new float[cells.length - 1];
        for (int i = 1; i < cells.length; i++) {
            values[i - 1] = Float.parseFloat(cells[i]);
        }
        assertArrayEquals(encoder.encode("Cats, dogs They play"), values, 1e-5f);
    }

    @Test
    void clsPoolingOptionIsHonoured() throws Exception {
        Cli run = Cli.run("embed", "--pooling", "cls", "--no-normalize", SEED);
        assertEquals(0, run.code(), run.err());
        float[] printed = floats(JsonParser.parseString(run.out().strip()).getAsJsonObject().getAsJsonArray("embedding"));
        try (SentenceEncoder cls = SentenceEncoder.load(org.bert4j.convert.BundledModels.defaultModel(),
                EncoderOptions.defaults().withPooling(Pooling.CLS).withNormalize(false))) {
            assertArrayEquals(cls.encode(SEED), printed, 2e-5f);   // a raw hidden state, not a unit vector
        }
    }

    @Test
    void aFailureMidwayLeavesOnlyAClearlyIncompleteFile() throws Exception {
        Path input = dir.resolve("texts.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"text\": \"sentence number ").append(i).append("\"}\n");
        }
        lines.append("{not json}\n");
        Files.writeString(input, lines);
        Path out = dir.resolve("out.jsonl");
        Cli run = Cli.run("embed", "--input", input.toString(), "--batch-size", "8", "--output", out.toString());
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("line 41"), run.err());
        assertTrue(Files.notExists(out), "no file under the real name");
        assertTrue(Files.exists(dir.resolve("out.jsonl.incomplete")), "the partial output is named as incomplete");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void stdinStreamsBatchByBatch() throws Exception {
        // Write two batches of lines and keep stdin open: their embeddings must come out before the input ends.
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
        PipedInputStream stdoutReader = new PipedInputStream(1 << 20);
        PrintStream stdout = new PrintStream(new PipedOutputStream(stdoutReader), true, StandardCharsets.UTF_8);
        Console console = new Console(stdin, stdout, new PrintStream(new java.io.ByteArrayOutputStream()), false);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> Main.standard().run(List.of("embed", "--batch-size", "4"), console));
        Writer writer = new OutputStreamWriter(feed, StandardCharsets.UTF_8);
        for (int i = 0; i < 8; i++) {
            writer.write("streamed line " + i + "\n");
        }
        writer.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(stdoutReader, StandardCharsets.UTF_8));
        for (int i = 0; i < 8; i++) {
            String line = out.readLine();
            assertEquals(i, JsonParser.parseString(line).getAsJsonObject().get("index").getAsInt());
        }
        writer.write("last line\n");
        writer.close();
        assertEquals(8, JsonParser.parseString(out.readLine()).getAsJsonObject().get("index").getAsInt());
        assertEquals(0, exit.get(2, TimeUnit.MINUTES));
    }

    @Test
    void emptyInputIsNoTextsAnEmptyOutputAndSuccess() throws Exception {
        // A grep that finds nothing feeds embed nothing: like any Unix filter, nothing comes out and all is well.
        Path input = dir.resolve("empty.txt");
        Files.writeString(input, "");
        Cli run = Cli.run("embed", "--input", input.toString(), "--output", dir.resolve("o.jsonl").toString());
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(0, Files.size(dir.resolve("o.jsonl")), "an empty file under the real name");
        assertTrue(Files.notExists(dir.resolve("o.jsonl.incomplete")));
        Cli stdin = Cli.runWithStdin("", "embed");
        assertEquals(Main.OK, stdin.code(), stdin.err());
        assertEquals("", stdin.out());
        // npy: a whole (0, 384) matrix, the width read from the model's config.json.
        Cli npy = Cli.run("embed", "--input", input.toString(), "--format", "npy", "--output", dir.resolve("o.npy").toString());
        assertEquals(Main.OK, npy.code(), npy.err());
        byte[] bytes = Files.readAllBytes(dir.resolve("o.npy"));
        assertEquals(EmbeddingWriter.NpyHeader.LENGTH, bytes.length);
        assertTrue(new String(bytes, StandardCharsets.US_ASCII).contains("'shape': (0, 384)"));
    }

    @Test
    void npyWithoutAnOutputFileIsAUsageError() {
        Cli run = Cli.run("embed", "--format", "npy", SEED);
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("--output"), run.err());
    }

    @Test
    void modelFolderWithoutConfigIsAFailureNamingIt() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("no-config"));
        Cli run = Cli.run("embed", "--model", folder.toString(), SEED);
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("config.json"), run.err());
    }
}
