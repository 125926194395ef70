package org.bert4j.convert.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.convert.ConversionException;

/**
 * An ONNX model ({@code ModelProto}) read with a hand-written protobuf wire-format reader: the main graph's
 * nodes and constant tensors, nothing executed. A file is memory-mapped and tensors stay slices of the
 * mapping until {@link #close()}; tensors in external data files are mapped the same way.
 *
 * <p>Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
public final class OnnxModel implements AutoCloseable {

    private final String source;
    private final Arena arena;
    private final long irVersion;
    private final String producer;
    private final Map<String, Long> opsets;
    private final OnnxGraph graph;

    private OnnxModel(String source, Arena arena, long irVersion, String producer, Map<String, Long> opsets, OnnxGraph graph) {
        this.source = source;
        this.arena = arena;
        this.irVersion = irVersion;
        this.producer = producer;
        this.opsets = opsets;
        this.graph = graph;
    }

    /** Maps and parses an {@code .onnx} file; external data is looked up next to it. */
    public static OnnxModel read(Path file) throws ConversionException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            Path dir = file.toAbsolutePath().getParent();
            return parse(file.toString(), bytes, dir, arena);
        } catch (IOException e) {
            arena.close();
            if (e instanceof ConversionException c) {
                throw c;
            }
            throw new ConversionException(file + ": cannot read the ONNX file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses a model already in memory (e.g. read from a jar); {@code source} names it in errors; no external data. */
    public static OnnxModel read(String source, byte[] bytes) throws ConversionException {
        Arena arena = Arena.ofShared();
        try {
            return parse(source, MemorySegment.ofArray(bytes), null, arena);
        } catch (ConversionException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static OnnxModel parse(String source, MemorySegment bytes, Path dir, Arena arena) throws ConversionException {
        try {
            return new Parser(source, dir, arena).model(new ProtoReader(bytes));
        } catch (MalformedProtoException e) {
            throw new ConversionException(source + ": not a valid ONNX protobuf: " + e.getMessage(), e);
        }
    }

    /** Where the model came from (a path or a jar entry), for messages. */
    public String source() {
        return source;
    }

    /** {@code ModelProto.ir_version}. */
    public long irVersion() {
        return irVersion;
    }

    /** {@code producer_name producer_version}, e.g. "pytorch 2.1.0". */
    public String producer() {
        return producer;
    }

    /** The operator-set version per domain ("" is the default ONNX domain). */
    public Map<String, Long> opsets() {
        return opsets;
    }

    /** The main graph. */
    public OnnxGraph graph() {
        return graph;
    }

    /** Releases the mapped file(s); tensors handed out before become inaccessible. */
    @Override
    public void close() {
        arena.close();
    }

    /** Decodes the messages we need and skips every other field, as protobuf readers must. */
    private static final class Parser {
        private final String source;
        private final Path dir;
        private final Arena arena;
        private final Map<Path, MemorySegment> externalFiles = new HashMap<>();

        Parser(String source, Path dir, Arena arena) {
            this.source = source;
            this.dir = dir;
            this.arena = arena;
        }

        OnnxModel model(ProtoReader in) throws ConversionException {
            long ir = 0;
            String producerName = "";
            String producerVersion = "";
            Map<String, Long> opsets = new LinkedHashMap<>();
            OnnxGraph graph = null;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> ir = in.varint();
                    case 2 -> producerName = in.string();
                    case 3 -> producerVersion = in.string();
                    case 7 -> graph = graph(in.message());
                    case 8 -> {
                        ProtoReader op = in.message();
                        String domain = "";
                        long version = 0;
                        while (op.next()) {
                            switch (op.field()) {
                                case 1 -> domain = op.string();
                                case 2 -> version = op.varint();
                                default -> op.skip();
                            }
                        }
                        opsets.put(domain, version);
                    }
                    default -> in.skip();
                }
            }
            if (graph == null) {
                throw new ConversionException(source + ": not an ONNX model (no graph; is it really an .onnx file?)");
            }
            return new OnnxModel(source, arena, ir, (producerName + " " + producerVersion).trim(), Map.copyOf(opsets), graph);
        }

        private OnnxGraph graph(ProtoReader in) throws ConversionException {
            String name = "";
            List<OnnxNode> nodes = new ArrayList<>();
            Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> nodes.add(node(in.message()));
                    case 2 -> name = in.string();
                    case 5 -> {
                        OnnxTensor t = tensor(in.message());
                        if (initializers.put(t.name(), t) != null) {
                            throw new ConversionException(source + ": initializer '" + t.name() + "' appears twice");
                        }
                    }
                    case 11 -> inputs.add(valueInfoName(in.message()));
                    case 12 -> outputs.add(valueInfoName(in.message()));
                    case 15 -> throw new ConversionException(source + ": sparse initializers are not supported");
                    default -> in.skip();
                }
            }
            Map<String, OnnxTensor> constants = new LinkedHashMap<>();
            for (OnnxNode n : nodes) {
                if (n.opType().equals("Constant") && n.domain().isEmpty() && n.attribute("value") != null
                        && n.attribute("value").t() != null && n.outputs().size() == 1) {
                    constants.put(n.outputs().getFirst(), n.attribute("value").t());
                }
            }
            // Graph inputs may repeat initializer names (older exporters list weights as inputs); those are not real inputs.
            inputs.removeIf(initializers::containsKey);
            return new OnnxGraph(name, List.copyOf(nodes), initializers, constants, List.copyOf(inputs), List.copyOf(outputs));
        }

        private static String valueInfoName(ProtoReader in) {
            String name = "";
            while (in.next()) {
                if (in.field() == 1) {
                    name = in.string();
                } else {
                    in.skip();
                }
            }
            return name;
        }

        private OnnxNode node(ProtoReader in) throws ConversionException {
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            String name = "";
            String opType = "";
            String domain = "";
            Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> inputs.add(in.string());
                    case 2 -> outputs.add(in.string());
                    case 3 -> name = in.string();
                    case 4 -> opType = in.string();
                    case 5 -> {
                        OnnxAttribute a = attribute(in.message());
                        attributes.put(a.name(), a);
                    }
                    case 7 -> domain = in.string();
                    default -> in.skip();
                }
            }
            return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), attributes);
        }

        private OnnxAttribute attribute(ProtoReader in) throws ConversionException {
            String name = "";
            int type = 0;
            float f = 0;
            long i = 0;
            String s = null;
            OnnxTensor t = null;
            Floats floats = new Floats();
            Longs ints = new Longs();
            List<String> strings = new ArrayList<>();
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> name = in.string();
                    case 2 -> f = in.fixed32Float();
                    case 3 -> i = in.varint();
                    case 4 -> s = in.string();
                    case 5 -> t = tensor(in.message());
                    case 7 -> floats.add(in.fixed32s());
                    case 8 -> in.int64s(ints::add);
                    case 9 -> strings.add(in.string());
                    case 20 -> type = in.int32();
                    default -> in.skip();
                }
            }
            return new OnnxAttribute(name, OnnxAttribute.typeOf(type), f, i, s, t, floats.toArray(), ints.toArray(), List.copyOf(strings));
        }

        /** {@code TensorProto}: the data may sit in any one of several fields; all end up as little-endian bytes. */
        private OnnxTensor tensor(ProtoReader in) throws ConversionException {
            Longs dims = new Longs();
            int typeCode = 0;
            String name = "";
            MemorySegment raw = null;
            List<MemorySegment> fixedRuns = new ArrayList<>();
            Longs varints = new Longs();
            boolean hasStrings = false;
            Map<String, String> external = new HashMap<>();
            int location = 0;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> in.int64s(dims::add);
                    case 2 -> typeCode = in.int32();
                    case 3 -> throw new ConversionException(source + ": segmented tensors (TensorProto.segment) are not supported");
                    case 4 -> fixedRuns.add(in.fixed32s());            // float_data
                    case 5, 7, 11 -> in.int64s(varints::add);           // int32_data, int64_data, uint64_data
                    case 6 -> { hasStrings = true; in.skip(); }          // string_data
                    case 8 -> name = in.string();
                    case 9 -> raw = in.bytes();                          // raw_data
                    case 10 -> fixedRuns.add(in.fixed64s());           // double_data
                    case 13 -> {
                        ProtoReader entry = in.message();
                        String key = "";
                        String value = "";
                        while (entry.next()) {
                            switch (entry.field()) {
                                case 1 -> key = entry.string();
                                case 2 -> value = entry.string();
                                default -> entry.skip();
                            }
                        }
                        external.put(key, value);
                    }
                    case 14 -> location = in.int32();
                    default -> in.skip();
                }
            }
            OnnxDataType type = OnnxDataType.fromCode(typeCode);
            String what = source + ": tensor '" + name + "'";
            if (type == null) {
                throw new ConversionException(what + ": unsupported ONNX data type " + typeCode);
            }
            long[] shape = dims.toArray();
            long count = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new ConversionException(what + ": negative dimension in " + Arrays.toString(shape));
                }
                count = multiply(count, d, what);
            }
            if (type == OnnxDataType.STRING || hasStrings) {
                // String constants (rare, never weights) are kept without data.
                return new OnnxTensor(name, OnnxDataType.STRING, shape, MemorySegment.NULL);
            }
            long expectedBytes = multiply(count, type.byteSize(), what);
            MemorySegment data;
            if (location == 1 || !external.isEmpty()) {
                data = externalData(external, what);
            } else if (raw != null) {
                data = raw;
            } else if (!fixedRuns.isEmpty()) {
                data = concat(fixedRuns);
            } else {
                data = fromVarints(varints.toArray(), type, what);
            }
            if (data.byteSize() != expectedBytes) {
                throw new ConversionException(what + ": " + type + Arrays.toString(shape) + " needs " + expectedBytes
                        + " bytes of data but the file holds " + data.byteSize());
            }
            return new OnnxTensor(name, type, shape, data);
        }

        private static long multiply(long a, long b, String what) throws ConversionException {
            try {
                return Math.multiplyExact(a, b);
            } catch (ArithmeticException e) {
                throw new ConversionException(what + ": the shape's element count overflows");
            }
        }

        private MemorySegment concat(List<MemorySegment> runs) {
            if (runs.size() == 1) {
                return runs.getFirst();
            }
            long total = 0;
            for (MemorySegment r : runs) {
                total += r.byteSize();
            }
            MemorySegment out = arena.allocate(total);
            long at = 0;
            for (MemorySegment r : runs) {
                MemorySegment.copy(r, 0, out, at, r.byteSize());
                at += r.byteSize();
            }
            return out;
        }

        /** int32_data / int64_data hold one varint per element, whatever the element's real width. */
        private MemorySegment fromVarints(long[] values, OnnxDataType type, String what) throws ConversionException {
            MemorySegment out = arena.allocate(Math.max(1, (long) values.length * type.byteSize())).asSlice(0, (long) values.length * type.byteSize());
            for (int k = 0; k < values.length; k++) {
                long v = values[k];
                switch (type.byteSize()) {
                    case 1 -> out.set(ValueLayout.JAVA_BYTE, k, (byte) v);
                    case 2 -> out.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * k, (short) v);
                    case 4 -> {
                        if (type == OnnxDataType.FLOAT) {
                            throw new ConversionException(what + ": FLOAT data found in an integer field");
                        }
                        out.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * k, (int) v);
                    }
                    case 8 -> out.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8L * k, v);
                    default -> throw new ConversionException(what + ": cannot hold " + type + " in integer fields");
                }
            }
            return out;
        }

        /** External data (onnx.proto: location, offset, length) must stay inside the model's folder. */
        private MemorySegment externalData(Map<String, String> external, String what) throws ConversionException {
            String location = external.get("location");
            if (dir == null) {
                throw new ConversionException(what + ": the weights are in an external file ('" + location
                        + "') but the model was not read from a folder; convert the .onnx file together with its data file");
            }
            if (location == null || location.isEmpty()) {
                throw new ConversionException(what + ": external data without a location");
            }
            Path file;
            try {
                file = dir.resolve(location).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                // A NUL byte, say: a path no file system takes (found by OnnxFuzzTest).
                throw new ConversionException(what + ": external data location '" + location.replace("\0", "\\0")
                        + "' is not a valid path: " + e.getReason());
            }
            if (Path.of(location).isAbsolute() || !file.startsWith(dir.normalize())) {
                throw new ConversionException(what + ": external data location '" + location + "' leaves the model's folder");
            }
            MemorySegment whole = externalFiles.get(file);
            if (whole == null) {
                if (!Files.isRegularFile(file)) {
                    throw new ConversionException(what + ": external data file " + file + " does not exist");
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
                } catch (IOException e) {
                    throw new ConversionException(what + ": cannot map external data file " + file + ": " + e.getMessage(), e);
                }
                externalFiles.put(file, whole);
            }
            long offset = parseLong(external.getOrDefault("offset", "0"), what);
            long length = external.containsKey("length") ? parseLong(external.get("length"), what) : whole.byteSize() - offset;
            if (offset < 0 || length < 0 || offset > whole.byteSize() || length > whole.byteSize() - offset) {
                throw new ConversionException(what + ": external data [" + offset + ", +" + length + "] lies outside "
                        + file + " (" + whole.byteSize() + " bytes)");
            }
            return whole.asSlice(offset, length);
        }

        private static long parseLong(String s, String what) throws ConversionException {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new ConversionException(what + ": external data offset/length '" + s + "' is not a number");
            }
        }
    }

    /** A growable long array. */
    private static final class Longs {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** The floats of a repeated float attribute, gathered from packed or unpacked runs. */
    private static final class Floats {
        private final List<MemorySegment> runs = new ArrayList<>();

        void add(MemorySegment run) {
            runs.add(run);
        }

        float[] toArray() {
            ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            int n = 0;
            for (MemorySegment r : runs) {
                n += (int) (r.byteSize() / 4);
            }
            float[] out = new float[n];
            int at = 0;
            for (MemorySegment r : runs) {
                float[] part = r.toArray(le);
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
            return out;
        }
    }
}
