package org.bert4j.convert.onnx;

/** Bytes that are not a well-formed protobuf message; turned into a {@code ConversionException} naming the file. */
final class MalformedProtoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedProtoException(String message) {
        super(message);
    }
}
