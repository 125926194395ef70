package org.bert4j.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-assembles safetensors bytes (length prefix, header, buffer) so tests can break any rule on purpose. */
final class RawFile {

    private RawFile() {}

    static Path write(Path file, String headerJson, int bufferBytes) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return write(file, header.length, header, new byte[bufferBytes]);
    }

    static Path write(Path file, long declaredHeaderLength, byte[] header, byte[] buffer) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + buffer.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLength).put(header).put(buffer);
        Files.write(file, b.array());
        return file;
    }

    /** One tensor entry of a header. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}
