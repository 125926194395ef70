package org.bert4j.convert.torch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.bert4j.convert.ConversionException;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.Tensor;

/**
 * Reads a PyTorch state dict saved by {@code torch.save} (the zip format of torch ≥ 1.6): {@code <archive>/data.pkl}
 * is a pickle of an OrderedDict of tensors whose storages are the entries {@code <archive>/data/<key>}.
 * The pickle is read by {@link RestrictedUnpickler}, so the file can name only the handful of globals a state dict
 * needs; nothing in it is ever executed.
 */
public final class TorchCheckpoint {

    /** Globals a state dict uses: the dict type, the tensor rebuild function, and the typed storage classes. */
    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
            "torch.BoolStorage");

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32, "DoubleStorage", DType.F64, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16,
            "LongStorage", DType.I64, "IntStorage", DType.I32, "ShortStorage", DType.I16, "CharStorage", DType.I8,
            "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);

    /** A state dict's pickle holds names and shapes, a few kilobytes per layer: 256 MiB is far beyond any real one. */
    private static final long MAX_PICKLE_BYTES = 256L << 20;

    /** The magic number torch's legacy (pre-zip) format pickles first. */
    private static final byte[] LEGACY_MAGIC_PICKLE = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
        (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private record Storage(DType dtype, String key, long numel) {}

    private record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {}

    private TorchCheckpoint() {}

    /** The tensors of the state dict in {@code file}, in file order, under the names the file gives them. */
    public static List<Tensor> read(Path file) throws ConversionException {
        checkNotLegacy(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = archivePrefix(file, zip);
            if (zip.getEntry(prefix + "constants.pkl") != null || zip.getEntry(prefix + "code/") != null) {
                throw new ConversionException(file + ": this is a TorchScript module (torch.jit.save), not a state dict; save "
                        + "model.state_dict() with torch.save instead");
            }
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                String order = new String(readEntry(file, zip, byteOrder, 64), StandardCharsets.US_ASCII).strip();
                if (!order.equals("little")) {
                    throw new ConversionException(file + ": tensors are stored " + order + "-endian; only little-endian is supported");
                }
            }
            byte[] pickle = readEntry(file, zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE_BYTES);
            Map<String, byte[]> storages = new HashMap<>();
            RestrictedUnpickler unpickler = new RestrictedUnpickler(file + " (data.pkl)", pickle, ALLOWED,
                    (g, args) -> reduce(file, g, args),
                    pid -> storage(file, pid));
            Object root = unpickler.load();
            if (!(root instanceof Map<?, ?> dict)) {
                throw new ConversionException(file + ": the pickle holds " + RestrictedUnpickler.describe(root) + ", not a state dict");
            }
            List<Tensor> tensors = new ArrayList<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name)) {
                    throw new ConversionException(file + ": a state dict key is " + RestrictedUnpickler.describe(e.getKey()) + ", not a name");
                }
                if (!(e.getValue() instanceof TensorRef ref)) {
                    throw new ConversionException(file + ": entry '" + name + "' is " + RestrictedUnpickler.describe(e.getValue())
                            + ", not a tensor (only plain state dicts are supported)");
                }
                byte[] data = storages.get(ref.storage().key());
                if (data == null) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + ref.storage().key());
                    if (entry == null) {
                        throw new ConversionException(file + ": tensor '" + name + "' points to storage " + ref.storage().key()
                                + " but the archive has no data/" + ref.storage().key());
                    }
                    data = readEntry(file, zip, entry, storageBytes(file, name, ref.storage()));
                    storages.put(ref.storage().key(), data);
                }
                tensors.add(materialize(file, name, ref, data));
            }
            return tensors;
        } catch (ZipException e) {
            throw new ConversionException(file + ": not a readable zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e instanceof ConversionException c) {
                throw c;
            }
            throw new ConversionException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkNotLegacy(Path file) throws ConversionException {
        byte[] head = new byte[LEGACY_MAGIC_PICKLE.length];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return;
            }
            if (n == head.length && Arrays.equals(head, LEGACY_MAGIC_PICKLE)) {
                throw new ConversionException(file + ": this is PyTorch's legacy (pre-1.6, non-zip) format, which is not supported; "
                        + "re-save it with a current torch (torch.save(torch.load(f), f2)) or convert it to safetensors");
            }
            throw new ConversionException(file + ": not a PyTorch zip checkpoint (it does not start with a zip header)");
        } catch (IOException e) {
            if (e instanceof ConversionException c) {
                throw c;
            }
            throw new ConversionException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** torch.save names every entry "<archive>/...", the archive named after the file; find it from data.pkl. */
    private static String archivePrefix(Path file, ZipFile zip) throws ConversionException {
        String prefix = null;
        for (var entries = zip.entries(); entries.hasMoreElements(); ) {
            String name = entries.nextElement().getName();
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))
                    && name.indexOf('/') == name.lastIndexOf('/')) {
                if (prefix != null) {
                    throw new ConversionException(file + ": the archive holds more than one data.pkl");
                }
                prefix = name.substring(0, name.length() - "data.pkl".length());
            }
        }
        if (prefix == null) {
            throw new ConversionException(file + ": a zip without <archive>/data.pkl is not a torch.save checkpoint");
        }
        return prefix;
    }

    /**
     * An entry's bytes, at most {@code limit} of them. The zip's own sizes are claims: torch.save stores entries
     * uncompressed, but a hostile archive can deflate gigabytes into a few kilobytes, so no more is read than the
     * pickle says the storage holds (or, for the pickle itself, than any state dict needs).
     */
    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry entry, long limit) throws IOException {
        int cap = (int) Math.min(limit, Integer.MAX_VALUE - 9);
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(cap + 1);
            if (bytes.length > cap) {
                throw new ConversionException(file + ": archive entry " + entry.getName() + " holds more than the " + cap
                        + " bytes it may have" + (cap < limit ? " (2 GiB)" : ""));
            }
            return bytes;
        }
    }

    /** The bytes a storage of {@code numel} elements holds, as the pickle declares it. */
    private static long storageBytes(Path file, String tensor, Storage storage) throws ConversionException {
        if (storage.numel() < 0 || storage.numel() > Long.MAX_VALUE / storage.dtype().byteSize()) {
            throw new ConversionException(file + ": tensor '" + tensor + "': storage " + storage.key() + " declares "
                    + storage.numel() + " elements");
        }
        return storage.numel() * storage.dtype().byteSize();
    }

    private static Object reduce(Path file, RestrictedUnpickler.Global g, List<Object> args) throws ConversionException {
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (!args.isEmpty()) {
                    throw new ConversionException(file + ": OrderedDict called with arguments");
                }
                return new java.util.LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.size() < 6 || !(args.get(0) instanceof Storage s) || !(args.get(1) instanceof Long offset)
                        || !(args.get(2) instanceof RestrictedUnpickler.Tuple size) || !(args.get(3) instanceof RestrictedUnpickler.Tuple stride)) {
                    throw new ConversionException(file + ": _rebuild_tensor_v2 called with unexpected arguments " + args.stream()
                            .map(RestrictedUnpickler::describe).toList());
                }
                return new TensorRef(s, offset, longs(file, size), longs(file, stride));
            }
            case "torch._utils._rebuild_parameter" -> {
                if (args.isEmpty() || !(args.getFirst() instanceof TensorRef t)) {
                    throw new ConversionException(file + ": _rebuild_parameter without a tensor");
                }
                return t;
            }
            default -> throw new ConversionException(file + ": " + g.qualified() + " cannot be called");
        }
    }

    private static long[] longs(Path file, RestrictedUnpickler.Tuple t) throws ConversionException {
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long v) || v < 0) {
                throw new ConversionException(file + ": a tensor size or stride is not a non-negative integer");
            }
            out[i] = v;
        }
        return out;
    }

    /** The persistent id ('storage', StorageType, key, location, numel) of a tensor's storage. */
    private static Storage storage(Path file, Object pid) throws ConversionException {
        if (pid instanceof RestrictedUnpickler.Tuple t && t.items().size() == 5 && "storage".equals(t.items().get(0))
                && t.items().get(1) instanceof RestrictedUnpickler.Global type && t.items().get(2) instanceof String key
                && t.items().get(4) instanceof Long numel) {
            DType dtype = STORAGE_TYPES.get(type.name());
            if (dtype == null || !type.module().equals("torch")) {
                throw new ConversionException(file + ": unsupported storage type " + type.qualified());
            }
            if (!key.matches("[A-Za-z0-9_]+")) {
                throw new ConversionException(file + ": storage key '" + key + "' is not a plain name");
            }
            return new Storage(dtype, key, numel);
        }
        throw new ConversionException(file + ": unexpected persistent id " + RestrictedUnpickler.describe(pid));
    }

    /** Copies a (possibly strided) view out of its storage into a contiguous tensor. */
    private static Tensor materialize(Path file, String name, TensorRef ref, byte[] storage) throws ConversionException {
        DType dtype = ref.storage().dtype();
        int size = dtype.byteSize();
        long[] shape = ref.shape();
        long[] stride = ref.stride();
        String what = file + ": tensor '" + name + "'";
        if (shape.length != stride.length) {
            throw new ConversionException(what + ": shape " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        // Compared by division: numel comes from the pickle, and numel × size could overflow to the right length.
        if (ref.storage().numel() < 0 || storage.length % size != 0 || storage.length / size != ref.storage().numel()) {
            throw new ConversionException(what + ": storage " + ref.storage().key() + " has " + storage.length + " bytes, expected "
                    + ref.storage().numel() + " × " + size);
        }
        if (ref.offset() < 0) {
            throw new ConversionException(what + ": negative storage offset " + ref.offset());
        }
        long count = 1;
        long lastElement = ref.offset();
        try {
            for (int d = 0; d < shape.length; d++) {
                count = Math.multiplyExact(count, shape[d]);
                if (shape[d] > 0) {
                    lastElement = Math.addExact(lastElement, Math.multiplyExact(shape[d] - 1, stride[d]));
                }
            }
        } catch (ArithmeticException e) {
            throw new ConversionException(what + ": its shape overflows");
        }
        if (count > 0 && lastElement >= ref.storage().numel()) {
            throw new ConversionException(what + ": its view reaches element " + lastElement + " of a storage of " + ref.storage().numel());
        }
        if (count > Integer.MAX_VALUE / size) {
            throw new ConversionException(what + ": larger than 2 GiB");
        }
        byte[] out = new byte[(int) (count * size)];
        if (isContiguous(shape, stride)) {
            System.arraycopy(storage, (int) (ref.offset() * size), out, 0, out.length);
        } else {
            long[] index = new long[shape.length];
            for (int i = 0; i < count; i++) {
                long element = ref.offset();
                for (int d = 0; d < shape.length; d++) {
                    element += index[d] * stride[d];
                }
                System.arraycopy(storage, (int) (element * size), out, i * size, size);
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
        }
        return new Tensor(name, dtype, shape, MemorySegment.ofArray(out));
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
