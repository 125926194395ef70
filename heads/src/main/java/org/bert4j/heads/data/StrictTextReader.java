package org.bert4j.heads.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Reads text in one charset and stops at the first bytes that are not text in it, with a
 * {@link MalformedTextException} naming the source, the line and the byte offset. The JDK's own readers say only
 * "Input length = 1". Also refuses a NUL byte in UTF-8 and single-byte charsets: no text file holds one, so it means
 * a binary file or UTF-16 text. A UTF-8 byte-order mark at the start is skipped, as Python's {@code utf-8-sig} does.
 *
 * <p>Characters decoded before a bad byte are returned first and the error comes on the next read, so a caller sees
 * every line before it. Returns as soon as some characters are decoded, so a pipe's lines stream one by one.
 */
public final class StrictTextReader extends Reader {

    private final InputStream in;
    private final String source;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final boolean nulIsBinary;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private long offsetOfBuffer;     // the input offset of bytes' first element
    private long line = 1;           // the line of the next character returned
    private boolean atStart = true;
    private boolean endOfInput;
    private boolean finished;
    private MalformedTextException pending;

    /** Reads {@code in}; {@code source} names it in errors (a file name, "stdin"). */
    public StrictTextReader(InputStream in, String source, Charset charset) {
        this.in = Objects.requireNonNull(in, "in");
        this.source = source;
        this.charset = charset;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.nulIsBinary = byteZeroIsNul(charset);
    }

    /** Opens {@code file} in {@code charset}. */
    public static StrictTextReader open(Path file, Charset charset) throws IOException {
        return new StrictTextReader(Files.newInputStream(file), file.toString(), charset);
    }

    @Override
    public int read(char[] buffer, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buffer.length);
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, off, len);
        while (true) {
            decode(out);
            if (atStart && out.position() > off) {
                atStart = false;
                if (buffer[off] == '\uFEFF' && charset.equals(StandardCharsets.UTF_8)) {
                    System.arraycopy(buffer, off + 1, buffer, off, out.position() - off - 1);
                    out.position(out.position() - 1);
                }
            }
            int n = out.position() - off;
            if (n > 0) {
                for (int i = off; i < off + n; i++) {
                    if (buffer[i] == '\n') {
                        line++;
                    }
                }
                return n;
            }
            if (pending != null) {
                throw pending;
            }
            if (finished) {
                return -1;
            }
        }
    }

    /** Decodes into {@code out} until it is full, some characters are ready, an error is found or the input ends. */
    private void decode(CharBuffer out) throws IOException {
        int start = out.position();
        while (pending == null && !finished && out.hasRemaining()) {
            int limit = bytes.limit();
            int nul = nulIsBinary ? indexOfZero(bytes) : -1;
            if (nul >= 0) {
                bytes.limit(nul);   // decode up to the NUL, then report it
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput && nul < 0);
            bytes.limit(limit);
            if (result.isOverflow()) {
                return;
            }
            if (result.isError()) {
                pending = error(out, start, bytes.position(), result.length(), result.isMalformed());
                return;
            }
            if (nul >= 0) {
                // Underflow before the NUL: either the NUL itself, or a multi-byte sequence the NUL cuts short.
                pending = bytes.position() == nul ? nulError(out, start, nul)
                        : error(out, start, bytes.position(), nul - bytes.position(), true);
                return;
            }
            if (endOfInput) {
                if (decoder.flush(out).isOverflow()) {
                    return;
                }
                finished = true;
                return;
            }
            if (out.position() > start) {
                return;   // hand over what is decoded rather than wait for more input
            }
            fill();
        }
    }

    private void fill() throws IOException {
        offsetOfBuffer += bytes.position();
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private MalformedTextException error(CharBuffer out, int start, int at, int length, boolean malformed) {
        int shown = Math.min(length, 4);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            hex.append(i == 0 ? "" : " ").append("0x").append(HexFormat.of().withUpperCase().toHexDigits(bytes.get(at + i)));
        }
        String problem = malformed ? "not valid " + charset.name() : "not a character in " + charset.name();
        return new MalformedTextException(source, lineAt(out, start), offsetOfBuffer + at, charset, false, "byte offset "
                + (offsetOfBuffer + at) + " (" + hex + ") is " + problem);
    }

    private MalformedTextException nulError(CharBuffer out, int start, int at) {
        return new MalformedTextException(source, lineAt(out, start), offsetOfBuffer + at, charset, true, "byte offset "
                + (offsetOfBuffer + at) + " is a NUL byte, which no " + charset.name()
                + " text holds: this looks like a binary file, or UTF-16 text");
    }

    /** The line of the next character after those decoded into {@code out} since {@code start}. */
    private long lineAt(CharBuffer out, int start) {
        long at = line;
        for (int i = start; i < out.position(); i++) {
            if (out.get(i) == '\n') {
                at++;
            }
        }
        return at;
    }

    private static int indexOfZero(ByteBuffer buffer) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** True for ASCII-compatible charsets (UTF-8, ISO-8859-1, windows-1252 ...), where the byte 0 is the NUL character. */
    private static boolean byteZeroIsNul(Charset charset) {
        try {
            ByteBuffer encoded = charset.newEncoder().encode(CharBuffer.wrap("\0\n"));
            return encoded.remaining() == 2 && encoded.get(0) == 0 && encoded.get(1) == '\n';
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
