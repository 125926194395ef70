package org.bert4j.convert;

import java.io.IOException;

/** A checkpoint that cannot be converted: the message names the file and what about it is wrong or unsupported. */
public final class ConversionException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A conversion failure explained by {@code message}. */
    public ConversionException(String message) {
        super(message);
    }

    /** A conversion failure explained by {@code message}, caused by {@code cause}. */
    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
