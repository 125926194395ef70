package org.bert4j.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How one sentence vector is made from its token vectors (sentence-transformers' {@code Pooling} module). */
public enum Pooling {
    /** The [CLS] token's vector, the first of the sequence (BGE models). */
    CLS,
    /** The average of the real tokens' vectors: sum(h·mask) / sum(mask) as the seed computes it. */
    MEAN,
    /** The element-wise maximum over the real tokens. */
    MAX;

    /** Pools sequence {@code sequence} of a forward pass's output into a new vector. */
    public float[] pool(BertOutput output, int sequence) {
        int h = output.hidden();
        float[] x = output.lastHidden();
        int first = output.sequenceStarts()[sequence];
        int n = output.sequenceLengths()[sequence];
        float[] out = new float[h];
        switch (this) {
            case CLS -> System.arraycopy(x, first * h, out, 0, h);
            case MEAN -> {
                // A packed batch holds no padding, so the mask-weighted mean is the mean over the sequence's rows.
                double[] sum = new double[h];
                for (int t = first; t < first + n; t++) {
                    for (int i = 0; i < h; i++) {
                        sum[i] += x[t * h + i];
                    }
                }
                for (int i = 0; i < h; i++) {
                    out[i] = (float) (sum[i] / n);
                }
            }
            case MAX -> {
                System.arraycopy(x, first * h, out, 0, h);
                for (int t = first + 1; t < first + n; t++) {
                    for (int i = 0; i < h; i++) {
                        out[i] = Math.max(out[i], x[t * h + i]);
                    }
                }
            }
        }
        return out;
    }

    /** Scales a vector in place to unit Euclidean length (sentence-transformers' {@code Normalize}); zero stays zero. */
    public static void normalize(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        // torch.nn.functional.normalize divides by max(norm, 1e-12).
        double norm = Math.max(Math.sqrt(sq), 1e-12);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
    }

    /** Parses "cls", "mean" or "max" (any case). */
    public static Pooling fromName(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "cls" -> { return CLS; }
                case "mean" -> { return MEAN; }
                case "max" -> { return MAX; }
                default -> { }
            }
        }
        throw new IllegalArgumentException("unknown pooling \"" + name + "\"; expected cls, mean or max");
    }

    /**
     * The pooling a sentence-transformers model folder declares in {@code 1_Pooling/config.json}, or empty when the
     * folder has none. A file that asks for a mode this engine lacks (or several at once) is an error naming it.
     */
    public static Optional<Pooling> fromModelFolder(Path modelDir) throws IOException {
        Path file = modelDir.resolve("1_Pooling").resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonObject json;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new IOException(file + ": expected a JSON object");
            }
            json = root.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        List<Pooling> modes = new ArrayList<>();
        if (flag(json, "pooling_mode_cls_token")) {
            modes.add(CLS);
        }
        if (flag(json, "pooling_mode_mean_tokens")) {
            modes.add(MEAN);
        }
        if (flag(json, "pooling_mode_max_tokens")) {
            modes.add(MAX);
        }
        for (String unsupported : List.of("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                "pooling_mode_lasttoken")) {
            if (flag(json, unsupported)) {
                throw new IOException(file + ": " + unsupported + " is not supported (cls, mean and max are)");
            }
        }
        if (modes.size() > 1) {
            throw new IOException(file + ": several pooling modes at once " + modes + " are not supported");
        }
        if (modes.isEmpty()) {
            throw new IOException(file + ": no pooling mode is set (pooling_mode_cls_token / _mean_tokens / _max_tokens)");
        }
        return Optional.of(modes.getFirst());
    }

    private static boolean flag(JsonObject json, String field) {
        JsonElement e = json.get(field);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }
}
