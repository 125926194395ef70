package org.bert4j.safetensors;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Writes safetensors files the reference implementation accepts: tensors sorted by name and laid out
 * back to back, the JSON header padded with spaces so the data buffer starts 8-byte aligned.
 */
public final class SafetensorsWriter {

    /** Tensors are streamed in slices of this size, so tensors larger than 2 GiB are fine. */
    private static final long CHUNK = 16L << 20;

    private SafetensorsWriter() {}

    /** Writes (or replaces) {@code file} with {@code tensors} and the optional string {@code metadata}. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, bytes -> {});
    }

    /** As {@link #write(Path, List, Map)}, reporting the running total of tensor bytes written (for a progress bar). */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata, LongConsumer bytesWritten)
            throws IOException {
        List<Tensor> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(Tensor::name));
        Set<String> names = new HashSet<>();
        for (Tensor t : sorted) {
            if (t.name().isEmpty() || t.name().equals("__metadata__")) {
                throw new IllegalArgumentException(file + ": invalid tensor name '" + t.name() + "'");
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' is given twice");
            }
        }
        byte[] header = header(sorted, metadata == null ? Map.of() : metadata);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(out, prefix);
            // Copying through one direct buffer accepts any segment: mapped, native, or a heap array of any type.
            ByteBuffer staging = ByteBuffer.allocateDirect((int) CHUNK);
            MemorySegment stagingSegment = MemorySegment.ofBuffer(staging);
            long written = 0;
            for (Tensor t : sorted) {
                MemorySegment data = t.data();
                for (long off = 0; off < data.byteSize(); off += CHUNK) {
                    long n = Math.min(CHUNK, data.byteSize() - off);
                    MemorySegment.copy(data, off, stagingSegment, 0, n);
                    staging.clear().limit((int) n);
                    writeFully(out, staging);
                    written += n;
                    bytesWritten.accept(written);
                }
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes as the format recommends. */
    static byte[] header(List<Tensor> sorted, Map<String, String> metadata) {
        StringWriter json = new StringWriter();
        try (JsonWriter w = new JsonWriter(json)) {
            w.setHtmlSafe(false);
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name("__metadata__").beginObject();
                for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (Tensor t : sorted) {
                long size = t.data().byteSize();
                w.name(t.name()).beginObject();
                w.name("dtype").value(t.dtype().name());
                w.name("shape").beginArray();
                for (long d : t.shape()) {
                    w.value(d);
                }
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(offset + size).endArray();
                w.endObject();
                offset += size;
            }
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) & ~7;
        byte[] out = java.util.Arrays.copyOf(bytes, padded);
        java.util.Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }
}
