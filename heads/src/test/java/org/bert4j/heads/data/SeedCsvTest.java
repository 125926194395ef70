package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedCsvTest {

    @Test
    void seedCsvLoadsWithEveryAnnotationAlignedOrReported() throws Exception {
        Dataset data = CsvDataset.read(SharedData.file("annotated_w_quotes.csv"), FieldMapping.seed());
        assertEquals(20, data.size());
        CsvTable table = CsvReader.read(SharedData.file("annotated_w_quotes.csv"));
        int column = table.column("annotations");
        int total = 0;
        for (int r = 0; r < data.size(); r++) {
            Example example = data.examples().get(r);
            for (Annotation annotation : AnnotationParser.parse(table.rows().get(r).fields().get(column))) {
                total++;
                boolean aligned = example.entities().stream().anyMatch(span -> span.label().equals(annotation.label())
                        && sameWords(example.text().substring(span.start(), span.end()), annotation.text()));
                boolean reported = data.issues().stream().anyMatch(issue -> issue.line() == example.line()
                        && issue.annotation().equals(annotation));
                assertTrue(aligned != reported, "line " + example.line() + " " + annotation + ": aligned=" + aligned
                        + " reported=" + reported);
            }
        }
        assertEquals(51, total); // counted by hand in the CSV
        // The three the annotators wrote differently from the text: a dropped apostrophe, a moved period, a comma.
        Set<String> reported = data.issues().stream().map(i -> i.line() + ":" + i.annotation().text())
                .collect(Collectors.toSet());
        assertEquals(Set.of("8:New Yorks PIX11", "16:Jan 6.", "17:7075"), reported);
    }

    private static boolean sameWords(String a, String b) {
        return a.replace('’', '\'').equalsIgnoreCase(b.replace('’', '\'').strip());
    }

    @Test
    void seedTextsJoinHeadlineAndDescriptionWithASpace() throws Exception {
        Dataset data = CsvDataset.read(SharedData.file("annotated_w_quotes.csv"), FieldMapping.seed());
        Example first = data.examples().getFirst();
        assertEquals("Over 4 Million Americans Roll Up Sleeves For Omicron-Targeted COVID Boosters Health experts"
                + " said it is too early to predict whether demand would match up with the 171 million doses of the"
                + " new boosters the U.S. ordered for the fall.", first.text());
        assertEquals("U.S. NEWS", first.label());
        assertEquals(List.of("4 Million", "171 million", "U.S."),
                first.entities().stream().map(s -> first.text().substring(s.start(), s.end())).toList());
    }
}
