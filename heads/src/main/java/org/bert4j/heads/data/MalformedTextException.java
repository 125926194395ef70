package org.bert4j.heads.data;

import java.nio.charset.Charset;

/**
 * A text file holds bytes that are not text in the charset it is read with (a Latin-1 file read as UTF-8, a binary
 * file): the message names the file, the line and the byte offset, so the user can look at the bytes.
 */
public final class MalformedTextException extends DataFormatException {

    private final long byteOffset;
    private final transient Charset charset;
    private final boolean nulByte;

    MalformedTextException(String source, long line, long byteOffset, Charset charset, boolean nulByte, String problem) {
        super(source, (int) Math.min(Integer.MAX_VALUE, line), problem);
        this.byteOffset = byteOffset;
        this.charset = charset;
        this.nulByte = nulByte;
    }

    /** Whether the offending byte is a NUL: a binary file or UTF-16 text rather than another 8-bit charset. */
    public boolean nulByte() {
        return nulByte;
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
