package org.bert4j.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** A tokenizer file (tokenizer.json, vocab.txt, tokenizer_config.json) that is malformed or unsupported; the message names the file and field. */
public final class TokenizerFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem with {@code field} of {@code file}. */
    public TokenizerFormatException(Path file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
    }

    /** A problem with {@code field} of {@code file}, caused by {@code cause}. */
    public TokenizerFormatException(Path file, String field, String problem, Throwable cause) {
        super(file + ": " + field + ": " + problem, cause);
    }
}
