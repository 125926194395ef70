package org.bert4j.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Where a converted model's tokenizer comes from: a {@code tokenizer.json} (from which vocab.txt and
 * tokenizer_config.json are derived), or an existing {@code vocab.txt} (+ tokenizer_config.json) copied as is.
 */
sealed interface TokenizerSource {

    int padTokenId();

    /** Vocabulary size, or 0 when unknown. */
    int vocabSize();

    String describe();

    void writeInto(Path dir, int modelMaxLength) throws IOException;

    /** From tokenizer.json bytes. */
    record Json(TokenizerFiles files, String source) implements TokenizerSource {
        static Json parse(String source, byte[] bytes) throws ConversionException {
            return new Json(TokenizerFiles.parse(source, bytes), source);
        }

        @Override public int padTokenId() { return files.padTokenId(); }
        @Override public int vocabSize() { return files.vocabSize(); }
        @Override public String describe() { return source; }
        @Override public void writeInto(Path dir, int modelMaxLength) throws IOException { files.writeInto(dir, modelMaxLength); }
    }

    /** A vocab.txt and, when present, its tokenizer_config.json, copied unchanged. */
    record VocabFile(Path vocab, Path tokenizerConfig) implements TokenizerSource {
        @Override
        public int padTokenId() {
            try {
                List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
                int i = lines.indexOf("[PAD]");
                return Math.max(i, 0);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public int vocabSize() {
            try (var lines = Files.lines(vocab, StandardCharsets.UTF_8)) {
                return (int) lines.count();
            } catch (IOException | java.io.UncheckedIOException e) {
                return 0;
            }
        }

        @Override public String describe() { return vocab.toString(); }

        @Override
        public void writeInto(Path dir, int modelMaxLength) throws IOException {
            Files.copy(vocab, dir.resolve("vocab.txt"), StandardCopyOption.REPLACE_EXISTING);
            if (tokenizerConfig != null) {
                Files.copy(tokenizerConfig, dir.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
