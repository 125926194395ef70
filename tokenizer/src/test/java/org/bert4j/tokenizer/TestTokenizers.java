package org.bert4j.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The real tokenizer.json files of the bundled models, copied out of their jars for the tests. */
final class TestTokenizers {
    private TestTokenizers() {}

    static final String MINILM = "all-minilm-l6-v2-tokenizer.json";
    static final String BGE = "bge-small-en-v1.5-tokenizer.json";

    private static Path dir;

    /** The classpath resource {@code /name} as a file (copied once per JVM into a temporary folder). */
    static synchronized Path file(String name) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("bert4j-tokenizer-test");
                dir.toFile().deleteOnExit();
            }
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                try (InputStream in = TestTokenizers.class.getResourceAsStream("/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("classpath resource /" + name
                                + " is missing: is its langchain4j model jar a test dependency?");
                    }
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                file.toFile().deleteOnExit();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BertTokenizer minilm;

    /**
     * all-MiniLM-L6-v2's tokenizer (bert-base-uncased's vocabulary), loaded once, on its fused fast path from
     * the first text (a fresh tokenizer encodes its first few texts step by step).
     */
    static synchronized BertTokenizer minilm() {
        if (minilm == null) {
            try {
                minilm = BertTokenizer.fromTokenizerJson(file(MINILM)).fastPathFromTheStart();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return minilm;
    }
}
