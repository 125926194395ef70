package org.bert4j.heads.data;

import java.io.IOException;

/** A data file that does not follow its format; the message names the file and the line. */
public class DataFormatException extends IOException {

    private final String source;
    private final int line;

    /** Creates the error for {@code line} (1-based, 0 when not tied to a line) of {@code source}. */
    public DataFormatException(String source, int line, String problem) {
        super(line > 0 ? source + ", line " + line + ": " + problem : source + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file (or other source name) the problem was found in. */
    public String source() {
        return source;
    }

    /** The 1-based line the offending record starts on, or 0. */
    public int line() {
        return line;
    }
}
