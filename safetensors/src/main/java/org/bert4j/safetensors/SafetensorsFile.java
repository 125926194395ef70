package org.bert4j.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.safetensors.SafetensorsException.Problem;

/**
 * A safetensors file, memory-mapped and fully validated when opened: tensors are read straight from
 * the mapping (no copy of the file onto the heap; files over 2 GiB work) until {@link #close()}.
 *
 * <p>Layout (https://github.com/huggingface/safetensors#format): an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON, then the data buffer the header's {@code data_offsets} point into.
 * Thread-safe: every method may be called from any thread; closing while another thread reads makes
 * that read fail with an exception, never crash the JVM (the mapping lives in a shared {@link Arena}).
 */
public final class SafetensorsFile implements AutoCloseable {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment buffer;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;

    private SafetensorsFile(Path path, Arena arena, MemorySegment buffer, HeaderParser.Header header) {
        this.path = path;
        this.arena = arena;
        this.buffer = buffer;
        this.metadata = header.metadata();
        this.tensors = header.tensors();
        this.byName = new HashMap<>();
        for (TensorInfo t : tensors) {
            byName.put(t.name(), t);
        }
    }

    /** Maps and validates {@code file}; any broken rule of the format is a {@link SafetensorsException}. */
    public static SafetensorsFile open(Path file) throws SafetensorsException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size < 8) {
                    throw new SafetensorsException(Problem.FILE_TOO_SMALL, file, null,
                            "the file has " + size + " bytes, fewer than the 8-byte header length");
                }
                whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            long size = whole.byteSize();
            long headerLength = whole.get(I64, 0);
            // Compare as unsigned: a length of 2^63 or more reads as a negative long.
            if (Long.compareUnsigned(headerLength, HeaderParser.MAX_HEADER_BYTES) > 0) {
                throw new SafetensorsException(Problem.HEADER_LENGTH_TOO_LARGE, file, null, "header length "
                        + Long.toUnsignedString(headerLength) + " exceeds the limit of " + HeaderParser.MAX_HEADER_BYTES + " bytes");
            }
            if (headerLength > size - 8) {
                throw new SafetensorsException(Problem.HEADER_LENGTH_BEYOND_FILE, file, null, "header length " + headerLength
                        + " is larger than the " + (size - 8) + " bytes that follow it (truncated or not a safetensors file)");
            }
            byte[] headerBytes = whole.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment buffer = whole.asSlice(8 + headerLength);
            HeaderParser.Header header = HeaderParser.parse(file, headerBytes, buffer.byteSize());
            return new SafetensorsFile(file, arena, buffer.asReadOnly(), header);
        } catch (SafetensorsException e) {
            arena.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new SafetensorsException(Problem.IO, file, null, "cannot read: " + e, e);
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The header's {@code __metadata__} (string to string; empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor, sorted by name. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** True when the file holds a tensor called {@code name}. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The header entry of tensor {@code name}; a missing tensor is an exception naming file and tensor. */
    public TensorInfo info(String name) throws SafetensorsException {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new SafetensorsException(Problem.NO_SUCH_TENSOR, path, name, "no such tensor in this file ("
                    + tensors.size() + " tensors)");
        }
        return t;
    }

    /** The read-only raw little-endian bytes of tensor {@code name}, valid until {@link #close()}. */
    public MemorySegment segment(String name) throws SafetensorsException {
        TensorInfo t = info(name);
        if (!arena.scope().isAlive()) {
            throw new SafetensorsException(Problem.CLOSED, path, name, "the file has been closed");
        }
        return buffer.asSlice(t.begin(), t.byteSize());
    }

    /**
     * The values of tensor {@code name} as F32 on the heap: F32 as stored, F16 and BF16 widened exactly,
     * F64 rounded to nearest; integer and bool tensors are an error.
     */
    public float[] readFloats(String name) throws SafetensorsException {
        TensorInfo t = info(name);
        if (!t.dtype().isFloatingPoint()) {
            throw new SafetensorsException(Problem.WRONG_DTYPE, path, name, "is " + t.dtype() + ", not a floating-point tensor");
        }
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(Problem.TOO_LARGE_FOR_ARRAY, path, name, count
                    + " elements do not fit one Java array; use segment() instead");
        }
        MemorySegment data = segment(name);
        try {
            return switch (t.dtype()) {
                case F32 -> data.toArray(F32);
                case F16 -> {
                    float[] out = new float[(int) count];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Float.float16ToFloat(data.getAtIndex(I16, i));
                    }
                    yield out;
                }
                case BF16 -> {
                    float[] out = new float[(int) count];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = FloatFormats.bf16ToFloat(data.getAtIndex(I16, i));
                    }
                    yield out;
                }
                case F64 -> {
                    float[] out = new float[(int) count];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (float) data.getAtIndex(F64, i);
                    }
                    yield out;
                }
                default -> throw new AssertionError(t.dtype());
            };
        } catch (IllegalStateException e) {
            throw new SafetensorsException(Problem.CLOSED, path, name, "the file was closed while reading", e);
        }
    }

    /** Unmaps the file; segments handed out before become inaccessible. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException alreadyClosed) {
                // Another thread closed it between the check and here: the goal is reached.
            }
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }
}
