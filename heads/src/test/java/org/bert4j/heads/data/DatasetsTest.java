package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {

    @TempDir
    Path dir;

    @Test
    void theExtensionPicksTheReader() throws Exception {
        Dataset seed = Datasets.read(SharedData.file("annotated_w_quotes.csv"), FieldMapping.seed());
        assertEquals(20, seed.size());
        assertEquals(Set.of("AMOUNT", "ANIMAL", "COMPANY", "COUNTRY", "DATETIME", "FOOD", "LOCATION", "PERSON"),
                seed.entityTypes());

        Path conll = dir.resolve("a.conll");
        Files.writeString(conll, "Paris B-LOC\nrocks O\n");
        assertEquals(List.of(new EntitySpan(0, 5, "LOC")), Datasets.read(conll, null).examples().getFirst().entities());

        Path tags = dir.resolve("a.jsonl");
        Files.writeString(tags, "{\"tokens\": [\"Paris\", \"rocks\"], \"labels\": [\"B-LOC\", \"O\"]}\n");
        Dataset fromTags = Datasets.read(tags, new FieldMapping(List.of("tokens"), null, "labels"));
        assertEquals("Paris rocks", fromTags.examples().getFirst().text());

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.read(dir.resolve("a.parquet"), FieldMapping.seed()));
        assertTrue(e.getMessage().contains("unknown data format"), e.getMessage());
    }
}
