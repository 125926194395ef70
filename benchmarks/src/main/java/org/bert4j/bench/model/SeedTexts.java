package org.bert4j.bench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The seed CSV's texts (headline + " " + short_description, as the seed notebook joins them): a mixed-length batch. */
final class SeedTexts {

    private SeedTexts() {
    }

    static List<String> load() throws IOException {
        String dir = System.getProperty("bert4j.sharedData", "../shared/data");
        Path csv = Path.of(dir, "annotated_w_quotes.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IOException("seed CSV not found at " + csv.toAbsolutePath()
                    + "; set -Dbert4j.sharedData to the folder holding annotated_w_quotes.csv");
        }
        List<List<String>> rows = parse(Files.readString(csv, StandardCharsets.UTF_8));
        List<String> header = rows.getFirst();
        int headline = header.indexOf("headline");
        int description = header.indexOf("short_description");
        List<String> texts = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() > Math.max(headline, description)) {
                texts.add(row.get(headline) + " " + row.get(description));
            }
        }
        return texts;
    }

    /** RFC 4180: fields separated by commas, quoted fields may hold commas, newlines and doubled quotes. */
    private static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
