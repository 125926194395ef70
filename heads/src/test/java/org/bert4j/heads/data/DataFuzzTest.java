package org.bert4j.heads.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the training-data readers: CSV, JSONL (fields and token/tag lines), CoNLL, and
 * the seed's annotation cells. The contract: a dataset whose examples keep their promises (spans inside their
 * text, sorted and not overlapping, labels not blank; every CSV record as wide as the header, lines rising),
 * or a {@link DataFormatException} naming the file; an annotation cell parses or is refused with an
 * IllegalArgumentException saying where. Never another exception, an OOM or a hang.
 *
 * <p>{@code ./run-tests} replays the committed inputs under {@code DataFuzzTestInputs/}; {@code scripts/fuzz
 * csv|jsonl|conll|annotations MINUTES} fuzzes one for real (docs/fuzzing.md).
 */
class DataFuzzTest {

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("bert4j-fuzz", ".data");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    void readAnyCsv(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        CsvTable table;
        try {
            table = CsvReader.read(file);
        } catch (DataFormatException e) {
            assertNamesTheFile(e);
            return;
        }
        int previousLine = 1;
        for (CsvTable.Row row : table.rows()) {
            assertEquals(table.header().size(), row.fields().size(), "as wide as the header: line " + row.line());
            assertTrue(row.line() > previousLine, "lines rise: " + row.line() + " after " + previousLine);
            previousLine = row.line();
        }
        try {
            checkDataset(CsvDataset.fromTable(table, FieldMapping.seed()));
        } catch (DataFormatException e) {
            assertNamesTheFile(e);
        }
    }

    @FuzzTest
    void readAnyJsonl(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try {
            checkDataset(JsonlDataset.read(file, FieldMapping.seed()));
        } catch (DataFormatException e) {
            assertNamesTheFile(e);
        }
        try {
            checkDataset(JsonlDataset.readTokenTags(file));
        } catch (DataFormatException e) {
            assertNamesTheFile(e);
        }
    }

    @FuzzTest
    void readAnyConll(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try {
            checkDataset(ConllDataset.read(file));
        } catch (DataFormatException e) {
            assertNamesTheFile(e);
        }
    }

    /** Input: the sentence (up to 200 chars), then the annotation cell. */
    @FuzzTest
    void parseAnyAnnotationCell(FuzzedDataProvider data) {
        String sentence = data.consumeString(200);
        String cell = data.consumeRemainingAsString();
        List<Annotation> annotations;
        try {
            annotations = AnnotationParser.parse(cell);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("malformed annotations at character "), e.getMessage());
            return;
        }
        for (Annotation a : annotations) {
            assertFalse(a.text().isBlank(), a.toString());
            assertFalse(a.label().isBlank(), a.toString());
            assertEquals(a.label().strip(), a.label(), a.toString());
        }
        EntityLocator.Result located = EntityLocator.locate(sentence, annotations);
        checkSpans(new Example(sentence, null, located.spans(), 0));
        assertTrue(located.problems().size() <= annotations.size());
    }

    private static void assertNamesTheFile(DataFormatException e) {
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        assertEquals(file.toString(), e.source());
    }

    private static void checkDataset(Dataset dataset) {
        for (Example example : dataset.examples()) {
            if (example.label() != null) {
                assertFalse(example.label().isBlank(), example.toString());
            }
            if (example.entities() != null) {
                checkSpans(example);
            }
        }
    }

    /** Spans inside the text, sorted by start, not overlapping, labelled. */
    private static void checkSpans(Example example) {
        int end = 0;
        for (EntitySpan span : example.entities()) {
            assertTrue(span.start() >= end && span.end() <= example.text().length(), span + " in " + example);
            assertFalse(span.label().isBlank(), span.toString());
            end = span.end();
        }
    }
}
