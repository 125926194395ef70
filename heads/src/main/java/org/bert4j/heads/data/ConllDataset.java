package org.bert4j.heads.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CoNLL column format for NER: one token a line, its tag in the last column (the columns between,
 * like CoNLL-2003's part-of-speech and chunk tags, are ignored), a blank line between sentences, and
 * {@code -DOCSTART-} lines skipped.
 */
public final class ConllDataset {

    private ConllDataset() {
    }

    /** Reads {@code file}; a line with a single column is an error naming the line. */
    public static Dataset read(Path file) throws IOException {
        return read(file, StandardCharsets.UTF_8);
    }

    /** As {@link #read(Path)}, for a file in another charset. */
    public static Dataset read(Path file, Charset charset) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file.toString(), 0, "no such file");
        }
        String source = file.toString();
        List<Example> examples = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int sentenceLine = 0;
        try (BufferedReader reader = new BufferedReader(StrictTextReader.open(file, charset), 1 << 16)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                String stripped = text.strip();
                if (stripped.isEmpty() || stripped.startsWith("-DOCSTART-")) {
                    if (!tokens.isEmpty()) {
                        examples.add(TaggedTokens.toExample(tokens, tags, source, sentenceLine));
                        tokens.clear();
                        tags.clear();
                    }
                    continue;
                }
                String[] columns = stripped.split("\\s+");
                if (columns.length < 2) {
                    throw new DataFormatException(source, line, "expected 'token ... tag', found '" + stripped + "'");
                }
                if (tokens.isEmpty()) {
                    sentenceLine = line;
                }
                tokens.add(columns[0]);
                tags.add(columns[columns.length - 1]);
            }
        }
        if (!tokens.isEmpty()) {
            examples.add(TaggedTokens.toExample(tokens, tags, source, sentenceLine));
        }
        return new Dataset(source, examples, List.of());
    }
}
