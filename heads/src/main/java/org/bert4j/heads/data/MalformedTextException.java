package org.bert4j.heads.data;

import java.nio.charset.Charset;

/**
 * A text file holds bytes that are not text in the charset it is read with (a Latin-1 file read as UTF-8, a binary
 * file): the message names the file, the line and the byte offset, so the user can look at the bytes.
 */
public final class MalformedTextException extends DataFormatException {

    private final long byteOffset;
    private final transient Charset charset;

    MalformedTextException(String source, long line, long byteOffset, Charset charset, String problem) {
        super(source, (int) Math.min(Integer.MAX_VALUE, line), problem);
        this.byteOffset = byteOffset;
        this.charset = charset;
    }

    /** Where the offending bytes start, counted from 0 at the start of the input. */
    public long byteOffset() {
        return byteOffset;
    }

    /** The charset the input was read with. */
    public Charset charset() {
        return charset;
    }
}
