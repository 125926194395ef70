package org.bert4j.tokenizer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies of a real tokenizer.json with other BertNormalizer settings (cased models and the like). */
final class NormalizerVariants {
    private NormalizerVariants() {}

    /** Writes the variant next to {@code source} and returns its path. */
    static Path write(Path source, String name, boolean lowercase, boolean stripAccents, boolean cleanText,
                      boolean handleChineseChars) {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(source, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject n = root.getAsJsonObject("normalizer");
            n.addProperty("lowercase", lowercase);
            n.addProperty("strip_accents", stripAccents);
            n.addProperty("clean_text", cleanText);
            n.addProperty("handle_chinese_chars", handleChineseChars);
            Path out = source.resolveSibling(name + "-" + source.getFileName());
            Files.writeString(out, root.toString(), StandardCharsets.UTF_8);
            out.toFile().deleteOnExit();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
