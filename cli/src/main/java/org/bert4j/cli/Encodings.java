package org.bert4j.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import org.bert4j.heads.data.MalformedTextException;

/**
 * The {@code --encoding} option of the commands that read text: UTF-8 unless told otherwise (ISO-8859-1 and
 * windows-1252 for Latin-1 files, any charset the JDK knows), and the hint added when input is not in it.
 */
final class Encodings {
    static final String OPTION = "encoding";

    private Encodings() {}

    /** The charset {@code --encoding} names, UTF-8 by default; an unknown name is a usage error. */
    static Charset charset(CommandLine args) {
        String name = args.get(OPTION, "UTF-8");
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UsageException(args.command() + ": --" + OPTION + " '" + name
                    + "' is not a charset this JVM knows (e.g. UTF-8, ISO-8859-1, windows-1252, UTF-16)");
        }
    }

    /** The error with what to do about it: which --encoding reads such a file. */
    static IOException withHint(MalformedTextException e) {
        String hint = e.nulByte() ? "; UTF-16 text reads with --encoding UTF-16"
                : e.charset().equals(StandardCharsets.UTF_8)
                ? "; Latin-1 / Windows-1252 text reads with --encoding windows-1252, UTF-16 with --encoding UTF-16"
                : "; --encoding names the charset the input is in";
        return new IOException(e.getMessage() + hint, e);
    }
}
