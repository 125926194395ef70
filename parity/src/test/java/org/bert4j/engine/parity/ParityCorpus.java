package org.bert4j.engine.parity;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * About 200 varied texts for the parity tests: news headlines, headline + description pairs as the seed notebook
 * builds them, edge cases (empty, one character, accents, CJK, emoji, numbers), and long texts of concatenated
 * descriptions that reach and pass 512 tokens, so every length from 2 to 512 tokens is exercised.
 */
final class ParityCorpus {

    private ParityCorpus() {
    }

    /**
     * The shared data folder: system property {@code bert4j.sharedData} (the build sets ../shared/data beside the
     * checkout), else the environment variable {@code BERT4J_SHARED_DATA} (for checkouts elsewhere, e.g. worktrees).
     */
    static Path sharedData() {
        String property = System.getProperty("bert4j.sharedData");
        String environment = System.getenv("BERT4J_SHARED_DATA");
        for (String dir : new String[] {property, environment}) {
            if (dir != null && Files.isRegularFile(Path.of(dir, "news_category_first8000.jsonl"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("shared test data not found: bert4j.sharedData=" + property
                + " and BERT4J_SHARED_DATA=" + environment
                + "; one must point at the folder holding news_category_first8000.jsonl");
    }

    static List<String> texts() throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(sharedData().resolve("news_category_first8000.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JsonParser.parseString(line).getAsJsonObject());
            }
            if (rows.size() >= 600) {
                break;
            }
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 110; i++) {
            texts.add(rows.get(i).get("headline").getAsString());
        }
        for (int i = 110; i < 180; i++) {
            // The seed joins the columns with a space: ' '.join([row[col] for col in included_columns]).
            texts.add(rows.get(i).get("headline").getAsString() + " " + rows.get(i).get("short_description").getAsString());
        }
        texts.addAll(List.of("", "a", "!", "   ", "Hello, world!", "Café naïve résumé à la crème brûlée",
                "東京タワーと大阪城", "I love it 🙂🙂 — really!!!", "3.14159 2024-01-01 $100,000 #1 @user",
                "SUPERCALIFRAGILISTICEXPIALIDOCIOUS antidisestablishmentarianism", "[CLS] [SEP] [MASK] [PAD]",
                "tabs\tand\nnew lines\r\nand  double  spaces", "ÀÉÎÕÜ ÆØÅ ß ﬁ ﬂ Ωμέγα Привет"));
        // Long texts: descriptions joined until roughly the target word count; the longest exceed 512 tokens and
        // are truncated by the tokenizer, as Hugging Face does.
        int[] targetWords = {90, 150, 200, 260, 320, 380, 600, 900};
        int next = 180;
        for (int target : targetWords) {
            StringBuilder sb = new StringBuilder();
            while (sb.toString().split("\\s+").length < target) {
                JsonObject row = rows.get(next++ % rows.size());
                sb.append(row.get("headline").getAsString()).append(". ").append(row.get("short_description").getAsString()).append(' ');
            }
            texts.add(sb.toString().trim());
        }
        return texts;
    }
}
