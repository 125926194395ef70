package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlDatasetTest {

    @TempDir
    Path dir;

    @Test
    void newsJsonlReadsWithChosenFieldsAndMatchesTheSeedCsv() throws Exception {
        Dataset news = JsonlDataset.read(SharedData.file("news_category_first8000.jsonl"),
                FieldMapping.seed().withoutAnnotations());
        assertEquals(8000, news.size());
        assertEquals(29, new HashSet<>(news.labels()).size());
        assertNull(news.examples().getFirst().entities());
        Dataset seed = CsvDataset.read(SharedData.file("annotated_w_quotes.csv"), FieldMapping.seed());
        for (int i = 0; i < seed.size(); i++) {
            assertEquals(seed.examples().get(i).text(), news.examples().get(i).text(), "row " + i);
            assertEquals(seed.examples().get(i).label(), news.examples().get(i).label(), "row " + i);
        }
    }

    @Test
    void annotationsMayBeSeedStringsOrJsonPairs() throws Exception {
        Path file = dir.resolve("a.jsonl");
        Files.writeString(file, """
                {"title": "Apple hires", "body": "Tim Cook in Paris", "topic": "TECH", "ents": "[(‘Tim Cook’, ‘PERSON’)]"}

                {"title": "Rain", "body": "in paris", "topic": "WEATHER", "ents": [["Paris", "CITY"], ["London", "CITY"]]}
                """);
        Dataset data = JsonlDataset.read(file, new FieldMapping(List.of("title", "body"), "topic", "ents"));
        assertEquals(2, data.size());
        assertEquals("Apple hires Tim Cook in Paris", data.examples().get(0).text());
        assertEquals(List.of(new EntitySpan(12, 20, "PERSON")), data.examples().get(0).entities());
        assertEquals(List.of(new EntitySpan(8, 13, "CITY")), data.examples().get(1).entities());
        assertEquals(3, data.examples().get(1).line());
        assertEquals(1, data.issues().size());
        assertEquals(3, data.issues().getFirst().line());
        assertEquals("London", data.issues().getFirst().annotation().text());
    }

    @Test
    void badLinesNameTheLine() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"text\": \"ok\", \"label\": \"A\"}\n{\"text\": \"no label\"}\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> JsonlDataset.read(file, new FieldMapping(List.of("text"), "label", null)));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("no field 'label'"), e.getMessage());

        Files.writeString(file, "{\"text\": \"ok\", \"label\": \"A\"}\n{oops\n");
        e = assertThrows(DataFormatException.class,
                () -> JsonlDataset.read(file, new FieldMapping(List.of("text"), "label", null)));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        Files.writeString(file, "{\"text\": \"ok\", \"label\": \"A\", \"ann\": \"[(‘x’ ‘Y’)]\"}\n");
        e = assertThrows(DataFormatException.class,
                () -> JsonlDataset.read(file, new FieldMapping(List.of("text"), "label", "ann")));
        assertEquals(1, e.line());
    }

    @Test
    void badAnnotationPairsNameTheFileAndLine() throws Exception {
        Path file = dir.resolve("pairs.jsonl");
        FieldMapping fields = new FieldMapping(List.of("text"), null, "ents");
        for (String pairs : List.of("[[null, \"X\"]]", "[[\"x\", \"\"]]", "[[\"  \", \"X\"]]", "[[1, \"X\"]]",
                "[[\"x\", [\"X\"]]]")) {
            Files.writeString(file, "{\"text\": \"x y\", \"ents\": [[\"x\", \"X\"]]}\n{\"text\": \"x y\", \"ents\": "
                    + pairs + "}\n");
            DataFormatException e = assertThrows(DataFormatException.class, () -> JsonlDataset.read(file, fields), pairs);
            assertEquals(2, e.line(), pairs);
            assertTrue(e.getMessage().startsWith(file + ", line 2: field 'ents'"), e.getMessage());
        }
    }

    @Test
    void aBlankEntityInACsvCellNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve("blank.csv");
        Files.writeString(file, "text,ents\nx y,\"[('x', 'X')]\"\nx y,\"[(' ', 'X')]\"\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(file, new FieldMapping(List.of("text"), null, "ents")));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(file + ", line 3: field 'ents'") && e.getMessage().contains("blank entity text"),
                e.getMessage());
    }

    @Test
    void tokenTagLinesBecomeTextAndSpans() throws Exception {
        Path file = dir.resolve("ner.jsonl");
        Files.writeString(file, """
                {"tokens": ["Maury", "Wills", "joined", "the", "Los", "Angeles", "Dodgers", "."], "tags": ["B-PER", "I-PER", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O"]}
                {"tokens": ["In", "Paris"], "tags": ["O", "I-LOC"]}
                """);
        Dataset data = JsonlDataset.readTokenTags(file);
        Example first = data.examples().getFirst();
        assertEquals("Maury Wills joined the Los Angeles Dodgers .", first.text());
        assertEquals(List.of(new EntitySpan(0, 11, "PER"), new EntitySpan(23, 42, "ORG")), first.entities());
        assertEquals(List.of(new EntitySpan(3, 8, "LOC")), data.examples().get(1).entities());

        Files.writeString(file, "{\"tokens\": [\"a\", \"b\"], \"tags\": [\"O\"]}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> JsonlDataset.readTokenTags(file));
        assertTrue(e.getMessage().contains("2 tokens but 1 tags"), e.getMessage());
    }

    @Test
    void splitsAreSeededAndDisjoint() {
        List<Integer> items = java.util.stream.IntStream.range(0, 100).boxed().toList();
        Splits.Split<Integer> a = Splits.trainDev(items, 0.2, 7);
        Splits.Split<Integer> b = Splits.trainDev(items, 0.2, 7);
        Splits.Split<Integer> c = Splits.trainDev(items, 0.2, 8);
        assertEquals(a, b);
        assertTrue(!a.dev().equals(c.dev()));
        assertEquals(20, a.dev().size());
        Set<Integer> all = new HashSet<>(a.train());
        all.addAll(a.dev());
        assertEquals(100, all.size());
    }
}
