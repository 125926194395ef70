package org.bert4j.bench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.bert4j.tokenizer.Truncation;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * bert4j's tokenizer against Hugging Face's Rust tokenizer (through DJL), single thread, same texts, same
 * tokenizer.json (all-MiniLM-L6-v2's, i.e. bert-base-uncased's vocabulary), no truncation or padding.
 *
 * <p>One operation encodes one text; the secondary metrics {@code bytes} and {@code tokens} are UTF-8 input
 * bytes per second and tokens per second. Three contenders:
 * <ul>
 *   <li>{@code bert4j}: {@link BertTokenizer#encode}, a full {@link Encoding} (ids, masks, offsets, word ids,
 *       token strings);</li>
 *   <li>{@code huggingFace}: DJL's {@code HuggingFaceTokenizer.encode}, what a Java user of the Rust library
 *       gets (the same fields, copied through JNI);</li>
 *   <li>{@code huggingFaceIdsOnly}: the Rust encode plus only the ids array through JNI, the least binding
 *       overhead DJL allows: close to the Rust library's own speed.</li>
 * </ul>
 * Corpora: {@code news}, the 16,000 headlines and short descriptions of the shared news JSONL (about 65
 * characters each); {@code documents}, 320 texts of 50 of them joined (about 3,300 characters each).
 * Run with {@code -jvmArgsAppend -Dbert4j.sharedData=<dir>} unless {@code ../shared/data} is the data folder,
 * and with {@code OPT_OUT_TRACKING=true} in the environment (DJL reports usage otherwise).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class TokenizerBenchmark {

    /** Which texts: short ones, or long ones. */
    @Param({"news", "documents"})
    public String corpus;

    private static final EncodeOptions NO_TRUNCATION = EncodeOptions.defaults().withTruncation(Truncation.NONE);

    private String[] texts;
    private long[] utf8Bytes;
    private BertTokenizer bert4j;
    private HuggingFaceTokenizer huggingFace;
    private long huggingFaceHandle;
    private Path tokenizerJson;

    /** Bytes and tokens processed, reported by JMH as rates next to the operation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** UTF-8 bytes of input encoded. */
        public long bytes;
        /** Tokens produced (special tokens included, the same for every contender). */
        public long tokens;
        int next;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            tokens = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!"true".equals(System.getenv("OPT_OUT_TRACKING"))) {
            throw new IllegalStateException("run with OPT_OUT_TRACKING=true: DJL phones home otherwise");
        }
        texts = corpus.equals("news") ? NewsTexts.load().toArray(String[]::new) : NewsTexts.documents(50);
        utf8Bytes = new long[texts.length];
        for (int i = 0; i < texts.length; i++) {
            utf8Bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8).length;
        }
        tokenizerJson = Files.createTempFile("bert4j-bench", "-tokenizer.json");
        try (InputStream in = TokenizerBenchmark.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("/all-minilm-l6-v2-tokenizer.json is not on the classpath");
            }
            Files.copy(in, tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
        }
        bert4j = BertTokenizer.fromTokenizerJson(tokenizerJson);
        huggingFace = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false", "truncation", "false"));
        huggingFaceHandle = huggingFace.getHandle();
        // Both must agree before their speeds mean anything.
        for (int i = 0; i < texts.length; i += 97) {
            long[] expected = huggingFace.encode(texts[i]).getIds();
            int[] actual = bert4j.encode(texts[i], NO_TRUNCATION).ids();
            if (expected.length != actual.length) {
                throw new IllegalStateException("bert4j and Hugging Face disagree on text " + i);
            }
            for (int k = 0; k < actual.length; k++) {
                if (expected[k] != actual[k]) {
                    throw new IllegalStateException("bert4j and Hugging Face disagree on text " + i);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        huggingFace.close();
        Files.deleteIfExists(tokenizerJson);
    }

    private int nextText(Counters c) {
        int i = c.next;
        c.next = i + 1 == texts.length ? 0 : i + 1;
        c.bytes += utf8Bytes[i];
        return i;
    }

    @Benchmark
    public Encoding bert4j(Counters c) {
        Encoding e = bert4j.encode(texts[nextText(c)], NO_TRUNCATION);
        c.tokens += e.length();
        return e;
    }

    @Benchmark
    public ai.djl.huggingface.tokenizers.Encoding huggingFace(Counters c) {
        ai.djl.huggingface.tokenizers.Encoding e = huggingFace.encode(texts[nextText(c)]);
        c.tokens += e.getIds().length;
        return e;
    }

    @Benchmark
    public long[] huggingFaceIdsOnly(Counters c) {
        long encoding = TokenizersLibrary.LIB.encode(huggingFaceHandle, texts[nextText(c)], true);
        long[] ids = TokenizersLibrary.LIB.getTokenIds(encoding);
        TokenizersLibrary.LIB.deleteEncoding(encoding);
        c.tokens += ids.length;
        return ids;
    }
}
