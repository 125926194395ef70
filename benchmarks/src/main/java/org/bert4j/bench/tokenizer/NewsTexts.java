package org.bert4j.bench.tokenizer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.bench.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The headlines and short descriptions of the shared news JSONL: real English text to tokenize. */
public final class NewsTexts {
    private NewsTexts() {}

    public static List<String> load() throws IOException {
        Path jsonl = SharedData.file("news_category_first8000.jsonl");
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            for (String field : new String[] {"headline", "short_description"}) {
                if (o.has(field) && !o.get(field).getAsString().isEmpty()) {
                    texts.add(o.get(field).getAsString());
                }
            }
        }
        return texts;
    }

    /** Documents of {@code perDocument} consecutive texts joined by spaces. */
    public static String[] documents(int perDocument) throws IOException {
        List<String> texts = load();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i + perDocument <= texts.size(); i += perDocument) {
            docs.add(String.join(" ", texts.subList(i, i + perDocument)));
        }
        return docs.toArray(String[]::new);
    }
}
