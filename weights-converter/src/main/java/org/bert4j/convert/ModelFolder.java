package org.bert4j.convert;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.FloatFormats;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;

/** Writes the files of a Hugging Face / sentence-transformers model folder. */
final class ModelFolder {

    static final String WEIGHTS = "model.safetensors";

    private ModelFolder() {}

    /** model.safetensors with metadata {"format": "pt"} (what transformers expects) plus {@code metadata}. */
    static void writeWeights(Path dir, List<Tensor> tensors, Map<String, String> metadata, ConvertOptions options)
            throws IOException {
        List<Tensor> out = new ArrayList<>(tensors.size());
        long total = 0;
        for (Tensor t : tensors) {
            Tensor w = options.widenToF32() ? widen(t) : t;
            out.add(w);
            total += w.data().byteSize();
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", "pt");
        long bytes = total;
        ProgressListener progress = options.progress();
        progress.progress("writing", 0, bytes);
        SafetensorsWriter.write(dir.resolve(WEIGHTS), out, meta, written -> progress.progress("writing", written, bytes));
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

    /**
     * The sentence-transformers modules: Transformer (the folder itself), Pooling, and Normalize when vectors are
     * L2-normalised, exactly as sentence-transformers saves them.
     */
    static void writePooling(Path dir, SentencePooling pooling, int hiddenSize) throws IOException {
        JsonArray modules = new JsonArray();
        modules.add(module(0, "", "sentence_transformers.models.Transformer"));
        modules.add(module(1, "1_Pooling", "sentence_transformers.models.Pooling"));
        if (pooling.normalize()) {
            modules.add(module(2, "2_Normalize", "sentence_transformers.models.Normalize"));
            Files.createDirectories(dir.resolve("2_Normalize"));
        }
        writeJson(dir.resolve("modules.json"), modules);
        JsonObject config = new JsonObject();
        config.addProperty("word_embedding_dimension", hiddenSize);
        config.addProperty("pooling_mode_cls_token", pooling.mode() == PoolingMode.CLS);
        config.addProperty("pooling_mode_mean_tokens", pooling.mode() == PoolingMode.MEAN);
        config.addProperty("pooling_mode_max_tokens", pooling.mode() == PoolingMode.MAX);
        config.addProperty("pooling_mode_mean_sqrt_len_tokens", false);
        config.addProperty("pooling_mode_weightedmean_tokens", false);
        config.addProperty("pooling_mode_lasttoken", false);
        config.addProperty("include_prompt", true);
        Files.createDirectories(dir.resolve("1_Pooling"));
        writeJson(dir.resolve("1_Pooling").resolve("config.json"), config);
        if (pooling.maxSeqLength() > 0) {
            JsonObject st = new JsonObject();
            st.addProperty("max_seq_length", pooling.maxSeqLength());
            st.addProperty("do_lower_case", false);
            writeJson(dir.resolve("sentence_bert_config.json"), st);
        }
    }

    private static JsonObject module(int idx, String path, String type) {
        JsonObject m = new JsonObject();
        m.addProperty("idx", idx);
        m.addProperty("name", Integer.toString(idx));
        m.addProperty("path", path);
        m.addProperty("type", type);
        return m;
    }

    static void writeJson(Path file, com.google.gson.JsonElement json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n",
                StandardCharsets.UTF_8);
    }
}
