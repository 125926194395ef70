package org.bert4j.safetensors;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bert4j.safetensors.SafetensorsException.Problem;

/**
 * Parses and validates a safetensors JSON header, trusting nothing: every rule of the format
 * (https://github.com/huggingface/safetensors#format) is one check here with its own {@link Problem}.
 *
 * <p>The JSON is read as a stream with a fixed expected structure, so a hostile header can neither
 * recurse deeply nor allocate more than a small multiple of its own (already bounded) size.
 */
final class HeaderParser {

    /** The reference implementation's limit; a larger header is refused before it is read. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    record Header(Map<String, String> metadata, List<TensorInfo> tensors) {}

    private final Path file;

    private HeaderParser(Path file) {
        this.file = file;
    }

    /** Validates {@code headerBytes} against a data buffer of {@code bufferSize} bytes. */
    static Header parse(Path file, byte[] headerBytes, long bufferSize) throws SafetensorsException {
        return new HeaderParser(file).parse(headerBytes, bufferSize);
    }

    private Header parse(byte[] headerBytes, long bufferSize) throws SafetensorsException {
        String json = decodeUtf8(headerBytes);
        Map<String, String> metadata = Map.of();
        Map<String, TensorInfo> byName = new HashMap<>();
        try (JsonReader in = new JsonReader(new StringReader(json))) {
            in.setStrictness(Strictness.STRICT);
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw error(Problem.HEADER_NOT_OBJECT, null, "the header is JSON but not an object (it is " + in.peek() + ")");
            }
            in.beginObject();
            boolean sawMetadata = false;
            while (in.hasNext()) {
                String name = in.nextName();
                if (name.equals(METADATA_KEY)) {
                    if (sawMetadata) {
                        throw error(Problem.DUPLICATE_TENSOR, null, "the header has two __metadata__ entries");
                    }
                    sawMetadata = true;
                    metadata = readMetadata(in);
                } else {
                    TensorInfo info = readTensor(in, name, bufferSize);
                    if (byName.putIfAbsent(name, info) != null) {
                        throw error(Problem.DUPLICATE_TENSOR, name, "the header names this tensor twice");
                    }
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw error(Problem.HEADER_NOT_JSON, null, "the header has content after its JSON object");
            }
        } catch (MalformedJsonException | EOFException | IllegalStateException e) {
            throw error(Problem.HEADER_NOT_JSON, null, "the header is not valid JSON: " + e.getMessage(), e);
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {
            throw error(Problem.HEADER_NOT_JSON, null, "the header could not be read as JSON: " + e.getMessage(), e);
        }
        checkCoverage(byName, bufferSize);
        List<TensorInfo> tensors = new ArrayList<>(byName.values());
        tensors.sort(Comparator.comparing(TensorInfo::name));
        return new Header(metadata, List.copyOf(tensors));
    }

    private String decodeUtf8(byte[] bytes) throws SafetensorsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(Problem.HEADER_NOT_UTF8, null, "the header is not valid UTF-8", e);
        }
    }

    private Map<String, String> readMetadata(JsonReader in) throws IOException {
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
            throw error(Problem.BAD_METADATA, null, "__metadata__ must be an object of strings, found " + in.peek());
        }
        Map<String, String> metadata = new TreeMap<>();
        in.beginObject();
        while (in.hasNext()) {
            String key = in.nextName();
            if (in.peek() != JsonToken.STRING) {
                throw error(Problem.BAD_METADATA, null, "__metadata__ value of '" + key + "' must be a string, found " + in.peek());
            }
            if (metadata.put(key, in.nextString()) != null) {
                throw error(Problem.BAD_METADATA, null, "__metadata__ has the key '" + key + "' twice");
            }
        }
        in.endObject();
        return metadata;
    }

    private TensorInfo readTensor(JsonReader in, String name, long bufferSize) throws IOException {
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
            throw error(Problem.BAD_TENSOR_ENTRY, name, "the entry must be an object {dtype, shape, data_offsets}, found " + in.peek());
        }
        DType dtype = null;
        long[] shape = null;
        long[] offsets = null;
        in.beginObject();
        while (in.hasNext()) {
            String key = in.nextName();
            switch (key) {
                case "dtype" -> {
                    if (dtype != null) throw error(Problem.BAD_TENSOR_ENTRY, name, "dtype is given twice");
                    dtype = readDType(in, name);
                }
                case "shape" -> {
                    if (shape != null) throw error(Problem.BAD_TENSOR_ENTRY, name, "shape is given twice");
                    shape = readLongs(in, name, "shape", Problem.BAD_SHAPE);
                }
                case "data_offsets" -> {
                    if (offsets != null) throw error(Problem.BAD_TENSOR_ENTRY, name, "data_offsets is given twice");
                    offsets = readLongs(in, name, "data_offsets", Problem.BAD_OFFSETS);
                }
                default -> throw error(Problem.BAD_TENSOR_ENTRY, name, "unexpected key '" + key + "' (allowed: dtype, shape, data_offsets)");
            }
        }
        in.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw error(Problem.BAD_TENSOR_ENTRY, name, "the entry lacks "
                    + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        return validateTensor(name, dtype, shape, offsets, bufferSize);
    }

    private DType readDType(JsonReader in, String name) throws IOException {
        if (in.peek() != JsonToken.STRING) {
            throw error(Problem.UNKNOWN_DTYPE, name, "dtype must be a string, found " + in.peek());
        }
        String s = in.nextString();
        DType dtype = DType.fromHeaderName(s);
        if (dtype == null) {
            throw error(Problem.UNKNOWN_DTYPE, name, "unsupported dtype '" + abbreviate(s)
                    + "' (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
        }
        return dtype;
    }

    /** Reads an array of integers; each must be written as a plain non-negative JSON integer. */
    private long[] readLongs(JsonReader in, String name, String field, Problem problem) throws IOException {
        if (in.peek() != JsonToken.BEGIN_ARRAY) {
            throw error(problem, name, field + " must be an array of integers, found " + in.peek());
        }
        long[] values = new long[4];
        int n = 0;
        in.beginArray();
        while (in.hasNext()) {
            if (in.peek() != JsonToken.NUMBER) {
                throw error(problem, name, field + " must hold integers, found " + in.peek());
            }
            String text = in.nextString();
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error(problem, name, field + " value " + abbreviate(text) + " is not an integer in the 64-bit range");
            }
            if (v < 0) {
                throw error(problem, name, field + " value " + v + " is negative");
            }
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }
        in.endArray();
        return java.util.Arrays.copyOf(values, n);
    }

    private TensorInfo validateTensor(String name, DType dtype, long[] shape, long[] offsets, long bufferSize)
            throws SafetensorsException {
        if (offsets.length != 2) {
            throw error(Problem.BAD_OFFSETS, name, "data_offsets must be [begin, end], found " + offsets.length + " numbers");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw error(Problem.BAD_OFFSETS, name, "data_offsets begin " + begin + " is after end " + end);
        }
        if (end > bufferSize) {
            throw error(Problem.OFFSETS_OUT_OF_RANGE, name, "data_offsets [" + begin + ", " + end
                    + "] reach past the data buffer of " + bufferSize + " bytes (truncated file?)");
        }
        long bytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw error(Problem.SHAPE_OVERFLOW, name, "the shape " + java.util.Arrays.toString(shape)
                    + " has more elements than a 64-bit size can count");
        }
        if (end - begin != bytes) {
            throw error(Problem.SIZE_MISMATCH, name, "shape " + java.util.Arrays.toString(shape) + " of " + dtype
                    + " needs " + bytes + " bytes but data_offsets span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** The tensors must tile the buffer exactly: no byte shared, none unclaimed. */
    private void checkCoverage(Map<String, TensorInfo> byName, long bufferSize) throws SafetensorsException {
        List<TensorInfo> byOffset = new ArrayList<>(byName.values());
        // Empty tensors sort before a non-empty one that starts at the same offset; names break ties.
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end)
                .thenComparing(TensorInfo::name));
        long position = 0;
        String previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < position) {
                throw error(Problem.OVERLAPPING_TENSORS, t.name(), "bytes [" + t.begin() + ", " + t.end()
                        + ") overlap tensor '" + previous + "' which ends at " + position);
            }
            if (t.begin() > position) {
                throw error(Problem.HOLE_BETWEEN_TENSORS, t.name(), "starts at " + t.begin() + " but the previous tensor"
                        + (previous == null ? "s end" : " '" + previous + "' ends") + " at " + position
                        + ": a hole of " + (t.begin() - position) + " unclaimed bytes");
            }
            position = t.end();
            previous = t.name();
        }
        if (position != bufferSize) {
            throw error(Problem.TRAILING_BYTES, previous, "the tensors end at byte " + position + " of the data buffer but it has "
                    + bufferSize + " bytes: " + (bufferSize - position) + " bytes belong to no tensor");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private SafetensorsException error(Problem problem, String tensor, String detail) {
        return new SafetensorsException(problem, file, tensor, detail);
    }

    private SafetensorsException error(Problem problem, String tensor, String detail, Throwable cause) {
        return new SafetensorsException(problem, file, tensor, detail, cause);
    }
}
