package org.bert4j.convert.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict the way {@code torch.save} does (no torch here): a zip of {@code archive/data.pkl},
 * {@code archive/data/<key>} storages, {@code archive/version} and {@code archive/byteorder}, all stored
 * uncompressed; the pickle is protocol 2 with the opcodes torch's pickler emits for an OrderedDict of tensors
 * ({@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)}, storages as
 * persistent ids).
 */
public final class TorchSaveWriter {

    /** One tensor: a view (offset, shape, stride in elements) into storage {@code key}. */
    public record Entry(String name, String key, long offset, long[] shape, long[] stride) {}

    private final Map<String, byte[]> storages = new LinkedHashMap<>();
    private final Map<String, String> storageTypes = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final ByteArrayOutputStream pickle = new ByteArrayOutputStream();
    private int memo;

    /** Adds a storage of {@code type} (e.g. "FloatStorage") holding little-endian {@code bytes}. */
    public TorchSaveWriter storage(String key, String type, byte[] bytes) {
        storages.put(key, bytes);
        storageTypes.put(key, type);
        return this;
    }

    /** Adds a contiguous F32 tensor with its own storage. */
    public TorchSaveWriter f32(String name, long[] shape, float[] values) {
        String key = Integer.toString(storages.size());
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        storage(key, "FloatStorage", b.array());
        return tensor(name, key, 0, shape, contiguous(shape));
    }

    public TorchSaveWriter tensor(String name, String key, long offset, long[] shape, long[] stride) {
        entries.add(new Entry(name, key, offset, shape, stride));
        return this;
    }

    public static long[] contiguous(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return stride;
    }

    /** The data.pkl bytes torch would write for these entries. */
    public byte[] pickle() {
        pickle.reset();
        memo = 0;
        op(0x80).op(2);                                          // PROTO 2
        global("collections", "OrderedDict").op(')').op('R').put();
        op('(');                                                 // MARK for SETITEMS
        Map<String, Integer> elementSizes = Map.of("FloatStorage", 4, "HalfStorage", 2, "BFloat16Storage", 2, "LongStorage", 8,
                "DoubleStorage", 8, "IntStorage", 4);
        for (Entry e : entries) {
            unicode(e.name()).put();
            global("torch._utils", "_rebuild_tensor_v2").put();
            op('(');                                             // MARK for the args tuple
            op('(');                                             // the persistent id tuple
            unicode("storage").put();
            global("torch", storageTypes.get(e.key())).put();
            unicode(e.key()).put();
            unicode("cpu").put();
            integer(storages.get(e.key()).length / elementSizes.get(storageTypes.get(e.key())));
            op('t').put().op('Q');                               // TUPLE, BINPERSID
            integer(e.offset());
            tuple(e.shape());
            tuple(e.stride());
            op(0x89);                                            // NEWFALSE: requires_grad
            global("collections", "OrderedDict").op(')').op('R').put();
            op('t').put().op('R').put();                         // TUPLE, REDUCE
        }
        op('u');                                                 // SETITEMS
        // The state dict's _metadata attribute, set with BUILD as pickle does for OrderedDict.__reduce__'s state.
        op('}').put().unicode("_metadata").put();
        global("collections", "OrderedDict").op(')').op('R').put();
        unicode("").put().op('}').put().unicode("version").put().integer(1).op('s').op('s');
        op('s').op('b');
        op('.');
        return pickle.toByteArray();
    }

    /** Writes the zip to {@code file}; {@code pickleOverride} (when not null) replaces data.pkl. */
    public Path write(Path file, byte[] pickleOverride) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "archive/data.pkl", pickleOverride != null ? pickleOverride : pickle());
            stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                stored(zip, "archive/data/" + s.getKey(), s.getValue());
            }
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    public Path write(Path file) throws IOException {
        return write(file, null);
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    // ---- opcodes ----

    private TorchSaveWriter op(int b) {
        pickle.write(b);
        return this;
    }

    private TorchSaveWriter put() {                             // BINPUT / LONG_BINPUT, as the pickler memoizes
        if (memo < 256) {
            op('q').op(memo);
        } else {
            op('r');
            pickle.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(memo).array());
        }
        memo++;
        return this;
    }

    private TorchSaveWriter global(String module, String name) {
        op('c');
        pickle.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private TorchSaveWriter unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        pickle.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        pickle.writeBytes(b);
        return this;
    }

    private TorchSaveWriter integer(long v) {
        if (v >= 0 && v < 256) {
            op('K').op((int) v);
        } else if (v >= 0 && v < 65536) {
            op('M').op((int) (v & 0xFF)).op((int) (v >> 8));
        } else {
            op('J');
            pickle.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }
        return this;
    }

    private void tuple(long[] values) {
        if (values.length == 0) {
            op(')');
            return;
        }
        if (values.length > 3) {
            op('(');
        }
        for (long v : values) {
            integer(v);
        }
        op(values.length <= 3 ? 0x84 + values.length : 't');
        put();
    }
}
