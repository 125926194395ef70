package org.bert4j.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared news JSONL (HuffPost headlines), read by the tests themselves so the oracle sees the same texts. */
final class News {

    /** One news item: its line number (from 0), headline and short description. */
    record Item(long id, String headline, String description) {
    }

    private News() {
    }

    /** The shared data file; a clear failure if it is absent (never a silent pass). */
    static Path file() {
        String property = System.getProperty("bert4j.sharedData");
        String environment = System.getenv("BERT4J_SHARED_DATA");
        for (String folder : new String[] {property, environment}) {
            if (folder != null && Files.isRegularFile(Path.of(folder).resolve("news_category_first8000.jsonl"))) {
                return Path.of(folder).resolve("news_category_first8000.jsonl");
            }
        }
        throw new IllegalStateException("news_category_first8000.jsonl is absent from bert4j.sharedData=" + property
                + " and BERT4J_SHARED_DATA=" + environment + ": the tests need ../shared/data beside the repository");
    }

    /** The first {@code n} items. */
    static List<Item> first(int n) {
        List<Item> items = new ArrayList<>(n);
        try (BufferedReader reader = Files.newBufferedReader(file(), StandardCharsets.UTF_8)) {
            String line;
            while (items.size() < n && (line = reader.readLine()) != null) {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                items.add(new Item(items.size(), o.get("headline").getAsString(),
                        o.get("short_description").getAsString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items;
    }
}
