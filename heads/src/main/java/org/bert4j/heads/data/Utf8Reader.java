package org.bert4j.heads.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 strictly, and says where it is not: a byte that is not UTF-8 is a {@link DataFormatException} naming
 * the file, the line and the byte offset, with a hint about the usual cause. Java's own decoding reader throws a
 * {@code MalformedInputException} whose whole message is "Input length = 1", which names nothing; a Latin-1 or
 * Windows-1252 file (an accented letter as one byte) is what usually meets it.
 */
public final class Utf8Reader extends Reader {

    private final InputStream in;
    private final String source;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 14).flip();
    /** Bytes of the input before {@code bytes}' first one. */
    private long offset;
    private int line = 1;
    private boolean endOfInput;
    private boolean flushed;

    /** Decodes {@code in} (closed by {@link #close()}); {@code source} names it in errors. */
    public Utf8Reader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    @Override
    public int read(char[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (flushed) {
            return -1; // a decoder that has been flushed may not decode again
        }
        CharBuffer out = CharBuffer.wrap(buffer, off, len);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                countLines(buffer, off, out.position());
                throw notUtf8(result.length());
            }
            if (result.isOverflow()) {
                break;
            }
            if (endOfInput) {
                decoder.flush(out); // UTF-8 keeps no state between characters: nothing comes out
                flushed = true;
                break;
            }
            if (out.position() > off) {
                break; // return what is decoded rather than block reading more
            }
            fill();
        }
        int n = out.position() - off;
        countLines(buffer, off, out.position());
        return n == 0 && endOfInput ? -1 : n;
    }

    private void fill() throws IOException {
        offset += bytes.position();
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private void countLines(char[] buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                line++;
            }
        }
    }

    private DataFormatException notUtf8(int length) {
        long at = offset + bytes.position();
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < length && bytes.position() + i < bytes.limit(); i++) {
            shown.append(i == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(bytes.position() + i) & 0xFF));
        }
        String what = endOfInput && bytes.position() + length >= bytes.limit()
                ? "the input ends inside a UTF-8 character" : "byte " + shown + " is not UTF-8";
        return new DataFormatException(source, line, what + " (byte offset " + at + "); the file is in another "
                + "encoding, such as Latin-1 or Windows-1252: convert it to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
