package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.SentenceEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bert4j embed} as a separate process in real pipes: a reader that closes its end stops it (EPIPE) while its
 * input is still coming; and 200,000 lines stream through a 128 MB heap, the first rows out before the input ends.
 * Timeouts here only guard against a hang; nothing depends on how fast the machine is.
 */
class ChildProcessPipesTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void tiny() throws Exception {
        model = TinyModel.in(dir.resolve("tiny"));
    }

    /** Writes numbered lines to {@code process}'s stdin until it stops reading (it exited, or closed stdin). */
    static Thread feedForever(Process process) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Writer in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
                for (long i = 0; ; i++) {
                    in.write("streamed text number " + i + "\n");
                    if (i % 8 == 7) {
                        in.flush();
                    }
                }
            } catch (IOException e) {
                // the child has gone: the end of feeding
            }
        });
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aClosedPipeStopsEmbedWhileItsInputKeepsComingAndItExitsQuietly() throws Exception {
        Path err = dir.resolve("closed-pipe.err");
        Process child = ChildCli.command(List.of("-Xmx256m"), List.of("embed", "--model", model.toString(), "--batch-size", "4"))
                .redirectError(err.toFile()).start();
        try {
            feedForever(child);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals(0, JsonParser.parseString(out.readLine()).getAsJsonObject().get("index").getAsInt());
            child.getInputStream().close();   // what head -1 does after its line
            // The input never ends, so only the closed pipe can stop it; before the fix it embedded forever.
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "embed went on after its reader had gone");
            assertEquals(Main.OUTPUT_CLOSED, child.exitValue(), Files.readString(err));
            String stderr = Files.readString(err);
            assertFalse(stderr.contains("Exception") || stderr.contains("bert4j embed:"), "quiet: " + stderr);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoHundredThousandLinesStreamThroughA128MegabyteHeap() throws Exception {
        int lines = 200_000;
        Path fifo = dir.resolve("input.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertEquals(0, mkfifo.waitFor(), new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Path err = dir.resolve("stream.err");
        Process child = ChildCli.command(List.of("-Xmx128m"), List.of("embed", "--model", model.toString(), "--input",
                fifo.toString(), "--batch-size", "64")).redirectError(err.toFile()).start();
        CountDownLatch firstRows = new CountDownLatch(1);
        AtomicBoolean rowsBeforeTheInputEnded = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            try (Writer in = Files.newBufferedWriter(fifo, StandardCharsets.UTF_8)) {   // opens once the child reads
                for (int i = 0; i < lines; i++) {
                    in.write(text(i));
                    in.write('\n');
                    if (i == 999) {
                        // Hold the rest back until rows come out: a command that read all input first never gets here.
                        in.flush();
                        rowsBeforeTheInputEnded.set(firstRows.await(2, TimeUnit.MINUTES));
                    }
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        try (SentenceEncoder encoder = SentenceEncoder.load(model, EncoderOptions.defaults())) {
            Map<Integer, float[]> samples = Map.of(0, new float[0], 1, new float[0], 123_457, new float[0], lines - 1, new float[0]);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int rows = 0;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.startsWith("{\"index\":" + rows + ",\"embedding\":[")) {
                    assertEquals("row " + rows, line, "rows in input order");
                }
                if (samples.containsKey(rows)) {
                    JsonObject row = JsonParser.parseString(line).getAsJsonObject();
                    assertArrayEquals(encoder.encode(text(rows)), floats(row.getAsJsonArray("embedding")), 1e-5f, "row " + rows);
                }
                if (++rows == 64) {
                    firstRows.countDown();
                }
            }
            assertTrue(child.waitFor(1, TimeUnit.MINUTES));
            assertEquals(0, child.exitValue(), Files.readString(err));
            writer.join();
            assertEquals(null, writerFailure.get());
            assertTrue(rowsBeforeTheInputEnded.get(), "the first rows came out while 199,000 lines were still to come");
            assertEquals(lines, rows);
        } finally {
            child.destroyForcibly();
        }
    }

    /** About 120 characters (24 MB in all), different words on every line (so that tokens and output differ). */
    static String text(int i) {
        StringBuilder text = new StringBuilder("line ").append(i).append(':');
        for (int w = 0; text.length() < 120; w++) {
            text.append(' ').append(WORDS[(i * 7 + w * 13) % WORDS.length]);
        }
        return text.toString();
    }

    static final String[] WORDS = ("the cat sat on a mat while rain fell over quiet hills and distant towns slept under "
            + "silver clouds drifting past ancient towers where bells rang softly").split(" ");

    static float[] floats(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }
}
