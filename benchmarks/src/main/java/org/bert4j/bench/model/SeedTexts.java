package org.bert4j.bench.model;

import org.bert4j.bench.SharedData;
import org.bert4j.heads.data.CsvReader;
import org.bert4j.heads.data.CsvTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The seed CSV's texts (headline + " " + short_description, as the seed notebook joins them): a mixed-length batch. */
final class SeedTexts {

    private SeedTexts() {
    }

    static List<String> load() throws IOException {
        CsvTable table = CsvReader.read(SharedData.file("annotated_w_quotes.csv"));
        List<String> headlines = table.columnValues("headline");
        List<String> descriptions = table.columnValues("short_description");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < headlines.size(); i++) {
            texts.add(headlines.get(i) + " " + descriptions.get(i));
        }
        return texts;
    }
}
