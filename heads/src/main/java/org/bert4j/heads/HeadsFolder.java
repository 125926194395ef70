package org.bert4j.heads;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;
import org.bert4j.safetensors.TensorInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The saved form of a model's heads, a folder with
 * <ul>
 *   <li>{@code heads.json}: format and version, the backbone's reference, hidden size and max length, and for each
 *       head its name, kind, labels, input width and pooling (classification; with {@code "pooler": true} and
 *       {@code "function"} for a Hugging Face head that reads BERT's pooler or scores with sigmoid) or tag scheme and
 *       aggregation (NER);</li>
 *   <li>{@code heads.safetensors}: each head's {@code <name>.weight} [labels, hidden] and {@code <name>.bias} [labels], F32.</li>
 * </ul>
 * Loading checks everything against the backbone it is given and the tensors against the labels.
 */
public final class HeadsFolder {

    /** The JSON description's file name. */
    public static final String JSON = "heads.json";
    /** The weights' file name. */
    public static final String WEIGHTS = "heads.safetensors";
    static final String FORMAT = "bert4j-heads";
    static final int VERSION = 1;

    private HeadsFolder() {
    }

    /** The backbone reference recorded in a saved folder (e.g. {@code bundled:all-MiniLM-L6-v2}), and its max length. */
    public record BackboneReference(String reference, int hiddenSize, int maxLength) {
    }

    /** Reads only the backbone part of {@code heads.json}, so a loader can open the right backbone first. */
    public static BackboneReference backboneOf(Path folder) throws IOException {
        JsonObject root = readJson(folder);
        JsonObject backbone = object(root, "backbone", folder);
        return new BackboneReference(string(backbone, "reference", folder), integer(backbone, "hidden_size", folder),
                integer(backbone, "max_length", folder));
    }

    /**
     * The heads' names and kinds from {@code heads.json}, in saved order, without loading any weights or backbone: a
     * command checks its {@code --task} against them before it spends time loading the model.
     */
    public static Map<String, HeadKind> headKinds(Path folder) throws IOException {
        JsonObject root = readJson(folder);
        JsonElement headsElement = root.get("heads");
        if (headsElement == null || !headsElement.isJsonArray()) {
            throw new IOException(folder.resolve(JSON) + ": 'heads' must be an array");
        }
        Map<String, HeadKind> kinds = new java.util.LinkedHashMap<>();
        for (JsonElement element : headsElement.getAsJsonArray()) {
            if (!element.isJsonObject()) {
                throw new IOException(folder.resolve(JSON) + ": every entry of 'heads' must be an object");
            }
            String name = string(element.getAsJsonObject(), "name", folder);
            try {
                kinds.put(name, HeadKind.parse(string(element.getAsJsonObject(), "kind", folder)));
            } catch (IllegalArgumentException e) {
                throw new IOException(folder.resolve(JSON) + ": head '" + name + "': " + e.getMessage(), e);
            }
        }
        return kinds;
    }

    static void write(Path folder, Backbone backbone, String reference, List<Head> heads) throws IOException {
        Files.createDirectories(folder);
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        JsonObject backboneJson = new JsonObject();
        backboneJson.addProperty("reference", reference);
        backboneJson.addProperty("hidden_size", backbone.hiddenSize());
        backboneJson.addProperty("max_length", backbone.maxLength());
        root.add("backbone", backboneJson);
        JsonArray headsJson = new JsonArray();
        List<Tensor> tensors = new ArrayList<>();
        for (Head head : heads) {
            JsonObject h = new JsonObject();
            h.addProperty("name", head.name());
            h.addProperty("kind", head.kind().id());
            JsonArray labels = new JsonArray();
            head.labels().labels().forEach(labels::add);
            h.add("labels", labels);
            h.addProperty("input_width", head.inputWidth());
            switch (head) {
                case ClassificationHead c -> {
                    h.addProperty("pooling", c.pooling().name().toLowerCase(Locale.ROOT));
                    // Written only when not the default, so heads bert4j trains are saved exactly as before.
                    if (c.pooler()) {
                        h.addProperty("pooler", true);
                    }
                    if (c.function() != ClassificationFunction.SOFTMAX) {
                        h.addProperty("function", c.function().id());
                    }
                }
                case TokenClassificationHead t -> {
                    h.addProperty("scheme", t.scheme().name().toLowerCase(Locale.ROOT));
                    h.addProperty("aggregation", t.aggregation().name().toLowerCase(Locale.ROOT));
                }
            }
            headsJson.add(h);
            Linear linear = head.linear();
            tensors.add(Tensor.f32(linear.weight().name(), new long[] {linear.out(), linear.in()},
                    linear.weight().value()));
            tensors.add(Tensor.f32(linear.bias().name(), new long[] {linear.out()}, linear.bias().value()));
        }
        root.add("heads", headsJson);
        // Each file is written beside its final name and renamed over it, so neither is ever half-written. The two
        // renames are not one step: a crash between them leaves the new weights with the old heads.json, which
        // loading catches only when a tensor's shape changed. 'bert4j train' saves into a fresh sibling folder
        // and renames the folder, which is atomic; a caller saving over a folder in place should do the same.
        Path weightsTmp = folder.resolve(WEIGHTS + ".tmp");
        Path jsonTmp = folder.resolve(JSON + ".tmp");
        SafetensorsWriter.write(weightsTmp, tensors, Map.of("format", FORMAT));
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        Files.writeString(jsonTmp, gson.toJson(root) + "\n", StandardCharsets.UTF_8);
        Files.move(weightsTmp, folder.resolve(WEIGHTS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(jsonTmp, folder.resolve(JSON), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static List<Head> read(Path folder, Backbone backbone) throws IOException {
        JsonObject root = readJson(folder);
        Path json = folder.resolve(JSON);
        String format = string(root, "format", folder);
        if (!FORMAT.equals(format)) {
            throw new IOException(json + ": format '" + format + "' is not " + FORMAT);
        }
        int version = integer(root, "version", folder);
        if (version != VERSION) {
            throw new IOException(json + ": version " + version + " is not supported (this build reads " + VERSION + ")");
        }
        BackboneReference saved = backboneOf(folder);
        if (saved.hiddenSize() != backbone.hiddenSize()) {
            throw new IOException(json + ": the heads were trained on a backbone of hidden size " + saved.hiddenSize()
                    + " (" + saved.reference() + ") but the backbone given has " + backbone.hiddenSize());
        }
        JsonElement headsElement = root.get("heads");
        if (headsElement == null || !headsElement.isJsonArray()) {
            throw new IOException(json + ": 'heads' must be an array");
        }
        List<Head> heads = new ArrayList<>();
        Path weights = folder.resolve(WEIGHTS);
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            for (JsonElement element : headsElement.getAsJsonArray()) {
                if (!element.isJsonObject()) {
                    throw new IOException(json + ": every entry of 'heads' must be an object");
                }
                heads.add(head(element.getAsJsonObject(), folder, backbone.hiddenSize(), file));
            }
        }
        return heads;
    }

    private static Head head(JsonObject h, Path folder, int hidden, SafetensorsFile file) throws IOException {
        Path json = folder.resolve(JSON);
        String name = string(h, "name", folder);
        HeadKind kind;
        List<String> labelList = new ArrayList<>();
        try {
            kind = HeadKind.parse(string(h, "kind", folder));
            JsonElement labels = h.get("labels");
            if (labels == null || !labels.isJsonArray()) {
                throw new IllegalArgumentException("'labels' must be an array of strings");
            }
            labels.getAsJsonArray().forEach(l -> labelList.add(l.getAsString()));
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IOException(json + ": head '" + name + "': " + e.getMessage(), e);
        }
        int width = integer(h, "input_width", folder);
        if (width != hidden) {
            throw new IOException(json + ": head '" + name + "' takes " + width + "-wide inputs but the backbone's hidden"
                    + " size is " + hidden);
        }
        float[] weight = tensor(file, name + ".weight", new long[] {labelList.size(), width});
        float[] bias = tensor(file, name + ".bias", new long[] {labelList.size()});
        Linear linear = new Linear(name, width, labelList.size(), weight, bias);
        try {
            LabelVocabulary labels = new LabelVocabulary(labelList);
            return switch (kind) {
                case CLASSIFICATION -> new ClassificationHead(name, labels, Pooling.fromName(string(h, "pooling", folder)),
                        bool(h, "pooler", false, folder), ClassificationFunction.parse(
                                h.has("function") ? string(h, "function", folder) : "softmax"), linear);
                case TOKEN_CLASSIFICATION -> new TokenClassificationHead(name, labels,
                        TagScheme.parse(string(h, "scheme", folder)),
                        AggregationStrategy.parse(string(h, "aggregation", folder)), linear);
            };
        } catch (IllegalArgumentException e) {
            throw new IOException(json + ": head '" + name + "': " + e.getMessage(), e);
        }
    }

    private static float[] tensor(SafetensorsFile file, String name, long[] shape) throws IOException {
        if (!file.contains(name)) {
            throw new IOException(file.path() + ": no tensor '" + name + "'");
        }
        TensorInfo info = file.info(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new IOException(file.path() + ": tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                    + ", expected " + Arrays.toString(shape) + " from heads.json");
        }
        return file.readFloats(name);
    }

    private static JsonObject readJson(Path folder) throws IOException {
        Path json = folder.resolve(JSON);
        if (!Files.isRegularFile(json)) {
            throw new IOException(folder + ": no " + JSON + " (not a saved heads folder)");
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new IOException(json + ": expected a JSON object");
            }
            return root.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(json + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonObject object(JsonObject o, String field, Path folder) throws IOException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonObject()) {
            throw new IOException(folder.resolve(JSON) + ": '" + field + "' must be an object");
        }
        return e.getAsJsonObject();
    }

    private static String string(JsonObject o, String field, Path folder) throws IOException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IOException(folder.resolve(JSON) + ": '" + field + "' must be a string");
        }
        return e.getAsString();
    }

    private static boolean bool(JsonObject o, String field, boolean fallback, Path folder) throws IOException {
        JsonElement e = o.get(field);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IOException(folder.resolve(JSON) + ": '" + field + "' must be true or false");
        }
        return e.getAsBoolean();
    }

    private static int integer(JsonObject o, String field, Path folder) throws IOException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IOException(folder.resolve(JSON) + ": '" + field + "' must be a number");
        }
        return e.getAsInt();
    }
}
