package org.bert4j.heads;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tiny Hugging Face task checkpoints PyTorch made, and what PyTorch computed on them (test resources under
 * {@code hf-heads/}, written by {@code scripts/torch/hf_heads/make_hf_heads.py}): {@code seq-cls}, {@code multi-label},
 * {@code token-cls}, {@code cross-encoder}, each with {@code expected.json}.
 */
public final class HfFixtures {

    /** The fixtures' names. */
    public static final List<String> NAMES = List.of("seq-cls", "multi-label", "token-cls", "cross-encoder");

    private HfFixtures() {
    }

    /** The source folder of fixture {@code name}, as transformers would have saved it. */
    public static Path source(String name) {
        var url = HfFixtures.class.getResource("/hf-heads/" + name + "/config.json");
        if (url == null) {
            throw new IllegalStateException("test resource hf-heads/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fixture {@code name} converted by {@code bert4j convert} into {@code parent/name}. */
    public static Path converted(String name, Path parent) throws IOException {
        return ModelConverter.convert(source(name), parent.resolve(name), ConvertOptions.defaults());
    }

    /** A writable copy of the source folder of {@code name} in {@code parent}, for tests that edit its files. */
    public static Path copy(String name, Path parent) throws IOException {
        Path from = source(name);
        Path to = Files.createDirectories(parent.resolve(name + "-copy"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** {@code expected.json} of fixture {@code name}. */
    public static JsonObject expected(String name) {
        try {
            return JsonParser.parseString(Files.readString(source(name).resolve("expected.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of numbers as an array. */
    public static double[] doubles(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** A JSON array of integers as an array. */
    public static int[] ints(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /** A JSON array of strings as a list. */
    public static List<String> strings(JsonElement array) {
        List<String> out = new ArrayList<>();
        array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
