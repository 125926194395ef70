package org.bert4j.convert;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.folder.Int8Weight;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.FloatFormats;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;

/** Writes the files of a Hugging Face / sentence-transformers model folder. */
final class ModelFolder {

    static final String WEIGHTS = "model.safetensors";

    private ModelFolder() {}

    /**
     * model.safetensors with metadata {"format": "pt"} (what transformers expects) plus {@code metadata}; with
     * {@link ConvertOptions#int8()} the encoder's Linear weights in int8, each followed by its scales.
     */
    static void writeWeights(Path dir, List<Tensor> tensors, Map<String, String> metadata, ConvertOptions options)
            throws IOException {
        List<Tensor> out = new ArrayList<>(tensors.size());
        long total = 0;
        for (Tensor t : tensors) {
            List<Tensor> written = options.int8() && Int8Weight.isQuantized(t.name()) && t.shape().length == 2
                    ? quantize(t) : List.of(options.widenToF32() ? widen(t) : t);
            for (Tensor w : written) {
                out.add(w);
                total += w.data().byteSize();
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", "pt");
        if (options.int8()) {
            meta.put("bert4j.quantization", "int8 encoder Linear weights, symmetric per output channel, scales in"
                    + " <name>" + Int8Weight.SCALE_SUFFIX);
        }
        long bytes = total;
        ProgressListener progress = options.progress();
        progress.progress("writing", 0, bytes);
        SafetensorsWriter.write(dir.resolve(WEIGHTS), out, meta, written -> progress.progress("writing", written, bytes));
    }

    /** A floating-point weight [out × in] → its I8 values under its own name and its F32 scales [out]. */
    static List<Tensor> quantize(Tensor t) throws ConversionException {
        if (!t.dtype().isFloatingPoint()) {
            throw new ConversionException("tensor " + t.name() + " is " + t.dtype() + "; only floating-point weights"
                    + " can be quantized to int8");
        }
        int out = Math.toIntExact(t.shape()[0]);
        int in = Math.toIntExact(t.shape()[1]);
        Tensor f32 = widen(t);
        float[] values = f32.data().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED
                .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN));
        Int8Weight q;
        try {
            q = Int8Weight.quantize(values, out, in);
        } catch (IllegalArgumentException e) {
            throw new ConversionException("tensor " + t.name() + " cannot be quantized: " + e.getMessage());
        }
        return List.of(Tensor.of(t.name(), DType.I8, t.shape(), q.values()),
                Tensor.f32(Int8Weight.scaleName(t.name()), new long[] {out}, q.scales()));
    }

    /** F16/BF16/F64 → F32 (exact for the 16-bit types); other tensors unchanged. */
    static Tensor widen(Tensor t) {
        DType d = t.dtype();
        if (d == DType.F32 || !(d == DType.F16 || d == DType.BF16 || d == DType.F64)) {
            return t;
        }
        MemorySegment src = t.data();
        float[] values = new float[Math.toIntExact(t.elementCount())];
        var i16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        var f64 = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (d) {
                case F16 -> FloatFormats.f16ToFloat(src.getAtIndex(i16, i));
                case BF16 -> FloatFormats.bf16ToFloat(src.getAtIndex(i16, i));
                default -> (float) src.getAtIndex(f64, i);
            };
        }
        return Tensor.f32(t.name(), t.shape(), values);
    }

    static void writeJson(Path file, com.google.gson.JsonElement json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n",
                StandardCharsets.UTF_8);
    }
}
