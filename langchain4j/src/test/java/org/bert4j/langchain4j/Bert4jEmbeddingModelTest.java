package org.bert4j.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.models.DefaultModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bert4j behind langchain4j's {@code EmbeddingModel}, end to end with langchain4j's own in-memory store: the seed
 * CSV's 20 articles go in (headline and short description joined by a space, as the seed joins them), and questions
 * worded unlike any headline find their article first.
 */
class Bert4jEmbeddingModelTest {

    /** The adapter returns the encoder's vectors; two forwards may differ by ~1e-5 around the JIT warm-up. */
    private static final float SAME = 2e-5f;

    private static Bert4jEmbeddingModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        model = Bert4jEmbeddingModel.load(DefaultModel.folder());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aQueryFindsItsArticleAmongTheSeedsTwentyInTheInMemoryStore() throws IOException {
        List<String[]> rows = SeedCsv.read(seedCsv());
        assertEquals(20, rows.size());
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            segments.add(TextSegment.from(rows.get(i)[0] + " " + rows.get(i)[1], Metadata.from("row", Integer.toString(i))));
        }
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<Embedding> embeddings = model.embedAll(segments).content();
        store.addAll(embeddings, segments);

        String[][] questions = {
                {"an airline passenger who hit a cabin crew member was banned", "1"},
                {"a soviet astronaut who spent over a year in orbit has passed away", "15"},
                {"streaming service prohibits gambling websites after a scam", "13"},
                {"football team leaders want to show support for LGBT rights in Qatar", "10"},
                {"the woman who phoned police about a birder lost her court case", "4"}};
        for (String[] q : questions) {
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(model.embed(q[0]).content()).maxResults(3).build()).matches();
            int found = Integer.parseInt(matches.getFirst().embedded().metadata().getString("row"));
            assertEquals(Integer.parseInt(q[1]), found, q[0] + " -> " + matches.getFirst().embedded().text());
        }
    }

    @Test
    void theVectorsAreTheEncodersAndTheDimensionIsKnownWithoutEmbedding() {
        assertEquals(384, model.dimension());
        assertEquals("all-MiniLM-L6-v2", model.modelName());
        float[] direct = model.encoder().encode("The cat is running around outside");
        assertArrayEquals(direct, model.embed("The cat is running around outside").content().vector(), SAME);
        assertEquals(0, model.embedAll(List.of()).content().size());
    }

    @Test
    void dimensionsTruncateAndInputTypesPickTheQueryAndDocumentPrompts() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("prompted"));
        try (var files = Files.list(DefaultModel.folder())) {
            for (Path f : files.toList()) {
                Files.createSymbolicLink(folder.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"document\": \"passage: \"}}");
        String text = "Maury Wills, base-stealing shortstop";
        try (SentenceEncoder encoder = SentenceEncoder.load(folder)) {
            EmbeddingModel prompted = Bert4jEmbeddingModel.of(encoder);
            float[] query = prompted.embed(EmbeddingRequest.builder().input(text).inputType(EmbeddingInputType.QUERY)
                    .build()).embeddings().getFirst().vector();
            assertArrayEquals(encoder.encode("query: " + text), query, SAME);
            float[] document = prompted.embed(EmbeddingRequest.builder().input(text).inputType(EmbeddingInputType.DOCUMENT)
                    .build()).embeddings().getFirst().vector();
            assertArrayEquals(encoder.encode("passage: " + text), document, SAME);
            float[] untyped = prompted.embed(text).content().vector();
            assertArrayEquals(encoder.encode(text), untyped, SAME);

            float[] cut = prompted.embed(EmbeddingRequest.builder().input(text).dimensions(64).build())
                    .embeddings().getFirst().vector();
            assertArrayEquals(java.util.Arrays.copyOf(encoder.encode(text), 64), cut, SAME);
            Bert4jEmbeddingModel narrow = Bert4jEmbeddingModel.of(encoder)
                    .withRequest(org.bert4j.engine.EmbeddingRequest.defaults().withTruncateDim(32));
            assertEquals(32, narrow.dimension());
            assertEquals(32, narrow.embed(text).content().dimension());
            narrow.close();   // shares the encoder: leaves it open
            assertEquals(384, encoder.encode(text).length);
        }
        assertThrows(UnsupportedFeatureException.class, () -> model.embed(EmbeddingRequest.builder().input("x")
                .modelName("text-embedding-3-small").build()));
    }

    private static Path seedCsv() {
        String shared = System.getProperty("bert4j.sharedData");
        Path csv = shared == null ? null : Path.of(shared, "annotated_w_quotes.csv");
        if (csv == null || !Files.isRegularFile(csv)) {
            throw new IllegalStateException("the seed CSV is missing: expected " + csv + " (shared data folder, see"
                    + " ./run-tests and BERT4J_SHARED_DATA)");
        }
        return csv;
    }

    /** The seed CSV's headline and short_description columns, parsed by RFC 4180 (quoted commas, doubled quotes). */
    static final class SeedCsv {
        static List<String[]> read(Path file) throws IOException {
            List<List<String>> records = parse(Files.readString(file, StandardCharsets.UTF_8));
            List<String> header = records.getFirst();
            int headline = header.indexOf("headline");
            int description = header.indexOf("short_description");
            List<String[]> rows = new ArrayList<>();
            for (List<String> r : records.subList(1, records.size())) {
                rows.add(new String[] {r.get(headline), r.get(description)});
            }
            return rows;
        }

        private static List<List<String>> parse(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> record = new ArrayList<>();
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
                    record.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    record.add(field.toString());
                    field.setLength(0);
                    if (!(record.size() == 1 && record.getFirst().isEmpty())) {
                        records.add(record);
                    }
                    record = new ArrayList<>();
                } else {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !record.isEmpty()) {
                record.add(field.toString());
                records.add(record);
            }
            return records;
        }
    }
}
