package org.bert4j.spark;

import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.models.DefaultModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bert4j on Spark in local[2] against the same models run in this process (the oracle): embeddings, classes and
 * entities, the one-load-per-JVM cache, empty texts and a bad model path. One Spark session for the class: it takes
 * seconds to start.
 */
class Bert4jSparkTest {

    /**
     * The bound on embedding differences. Spark feeds other batches than the oracle does (other texts packed
     * together, other threads), and a float32 dot product of length 384-1536 may round differently when its
     * summation order changes: a few ulps of 1 (1.2e-7 each) per layer over 6 layers stays far below it.
     */
    private static final double EMBEDDING_TOLERANCE = 1e-5;
    /** Probabilities come from the same hidden states through a softmax: the same few ulps, no amplification. */
    private static final double PROBABILITY_TOLERANCE = 1e-5;

    private static SparkSession spark;
    private static SentenceEncoder oracle;
    private static MultiTaskModel heads;
    @TempDir
    static Path headsDir;

    /**
     * The oracles run the engine as Spark's executors do by default: on the Java GEMM. (Loading bert4j's OpenBLAS here
     * too would crash the example's test in this JVM: see {@link Bert4jSparkOptions#gemm()}.)
     */
    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.start("bert4j-spark-test");
        oracle = SentenceEncoder.load(DefaultModel.folder(), EncoderOptions.defaults().withThreads(1).withGemm("java"));
        // Heads with random weights (std 1, so that labels and entities vary) on the real backbone, saved as a user's
        // trained heads would be; the in-process model is the oracle of classify and ner.
        heads = MultiTaskModel.on(BertBackbone.bundled(DefaultModel.NAME, 128, EngineOptions.defaults().withThreads(1).withGemm("java")));
        heads.addClassificationHead("topic", List.of("POLITICS", "WELLNESS", "ENTERTAINMENT", "TRAVEL"), Pooling.MEAN, 1);
        heads.addTokenClassificationHead("entities", List.of("PER", "LOC", "ORG"), TagScheme.BIO, 2);
        Random random = new Random(18);
        for (Head head : heads.heads().values()) {
            head.linear().initialize(random, 1.0);
        }
        heads.save(headsDir);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        Bert4jSpark.releaseModels();
        if (oracle != null) {
            oracle.close();
        }
        if (heads != null) {
            heads.close();
        }
    }

    private static final StructType TEXTS = new StructType().add("id", DataTypes.LongType, false)
            .add("text", DataTypes.StringType, true);

    private static Dataset<Row> texts(List<String> texts) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create((long) i, texts.get(i)));
        }
        return spark.createDataFrame(rows, TEXTS);
    }

    private static List<String> headlines(int n) {
        return News.first(n).stream().map(News.Item::headline).toList();
    }

    private static double maxDifference(float[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }

    @Test
    void embeddingsEqualTheSentenceEncodersInInputOrderAfterAShuffle() {
        List<String> texts = headlines(2000);
        float[][] expected = oracle.encode(texts);
        // A random order over five partitions, materialised once so that the input order is fixed to compare with.
        Dataset<Row> shuffled = texts(texts).orderBy(rand(7)).repartition(5).localCheckpoint();
        List<Row> input = shuffled.collectAsList();
        List<Row> output = Bert4jSpark.embed(shuffled, "text", "embedding", Bert4jSparkOptions.defaults())
                .collectAsList();

        assertEquals(texts.size(), output.size());
        double worst = 0;
        boolean reordered = false;
        for (int i = 0; i < output.size(); i++) {
            Row row = output.get(i);
            long id = row.getLong(0);
            assertEquals(input.get(i).getLong(0), id, "row " + i + " moved");
            assertEquals(texts.get((int) id), row.getString(1));
            reordered |= id != i;
            worst = Math.max(worst, maxDifference(expected[(int) id], ((Vector) row.get(2)).toArray()));
        }
        assertTrue(reordered, "the shuffle left the rows in order: the test would not see a reordering");
        assertTrue(worst <= EMBEDDING_TOLERANCE, "max |spark - encoder| = " + worst);
        System.out.printf("embeddings of %d headlines: max |spark - encoder| = %.3g%n", texts.size(), worst);
    }

    @Test
    void arrayColumnsHoldTheSameFloats() {
        List<String> texts = headlines(50);
        float[][] expected = oracle.encode(texts);
        Dataset<Row> embedded = Bert4jSpark.embed(texts(texts), "text", "embedding",
                Bert4jSparkOptions.defaults().withVectors(VectorFormat.ARRAY));
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), embedded.schema().apply("embedding").dataType());
        for (Row row : embedded.collectAsList()) {
            List<Float> values = row.getList(2);
            double[] actual = values.stream().mapToDouble(Float::doubleValue).toArray();
            assertTrue(maxDifference(expected[(int) row.getLong(0)], actual) <= EMBEDDING_TOLERANCE);
        }
    }

    @Test
    void classifyAndNerEqualTheHeadsInProcess() {
        List<String> texts = News.first(100).stream().map(i -> i.headline() + " " + i.description()).toList();
        List<ClassPrediction> classes = heads.classify(texts, "topic");
        List<List<Entity>> entities = heads.entities(texts, "entities");
        Bert4jSparkOptions options = Bert4jSparkOptions.heads(headsDir.toString());
        Dataset<Row> tagged = Bert4jSpark.ner(Bert4jSpark.classify(texts(texts).repartition(3), "text", "topic",
                options), "text", "entities", options);

        int entityCount = 0;
        for (Row row : tagged.collectAsList()) {
            int id = (int) row.getLong(0);
            Row topic = row.getStruct(2);
            ClassPrediction expected = classes.get(id);
            assertEquals(expected.label(), topic.getString(0), "text " + id);
            assertEquals(expected.score(), topic.getDouble(1), PROBABILITY_TOLERANCE);
            Map<String, Double> probabilities = topic.getJavaMap(2);
            assertEquals(expected.probabilities().keySet(), probabilities.keySet());
            for (var p : expected.probabilities().entrySet()) {
                assertEquals(p.getValue(), probabilities.get(p.getKey()), PROBABILITY_TOLERANCE);
            }
            List<Row> found = row.getList(3);
            List<Entity> wanted = entities.get(id);
            assertEquals(wanted.size(), found.size(), "entities of text " + id);
            for (int e = 0; e < wanted.size(); e++) {
                Entity w = wanted.get(e);
                Row f = found.get(e);
                assertEquals(List.of(w.label(), w.start(), w.end(), w.text()),
                        List.of(f.getString(0), f.getInt(1), f.getInt(2), f.getString(3)), "text " + id);
                assertEquals(w.score(), f.getDouble(4), PROBABILITY_TOLERANCE);
            }
            entityCount += found.size();
        }
        assertTrue(entityCount > 0, "no entities at all: the comparison of entities would prove nothing");
    }

    @Test
    void theModelIsLoadedOncePerJvmWhateverThePartitions() {
        Bert4jSpark.releaseModels();
        int before = Bert4jSpark.modelLoads();
        Dataset<Row> df = texts(headlines(120));
        for (int partitions : new int[] {8, 3, 1}) {
            Bert4jSpark.embed(df.repartition(partitions), "text", "embedding", Bert4jSparkOptions.defaults())
                    .write().format("noop").mode("overwrite").save();
        }
        assertEquals(1, Bert4jSpark.modelLoads() - before, "loads of the embedding model over 12 partitions");
        Bert4jSparkOptions options = Bert4jSparkOptions.heads(headsDir.toString());
        for (int partitions : new int[] {6, 2}) {
            Bert4jSpark.classify(df.repartition(partitions), "text", "topic", options)
                    .write().format("noop").mode("overwrite").save();
        }
        assertEquals(2, Bert4jSpark.modelLoads() - before, "and of the heads over 8 more");
    }

    @Test
    void nullEmptyAndBlankTextsGetNull() {
        List<String> texts = Arrays.asList("Markets rally after the vote", null, "", "   ", "Storm hits the coast");
        List<Row> rows = Bert4jSpark.embed(texts(texts).coalesce(1), "text", "embedding", Bert4jSparkOptions.defaults())
                .collectAsList();
        for (int i : new int[] {1, 2, 3}) {
            assertNull(rows.get(i).get(2), "text " + i);
        }
        for (int i : new int[] {0, 4}) {
            assertNotNull(rows.get(i).get(2));
            assertTrue(maxDifference(oracle.encode(texts.get(i)), ((Vector) rows.get(i).get(2)).toArray())
                    <= EMBEDDING_TOLERANCE);
        }
        Bert4jSparkOptions options = Bert4jSparkOptions.heads(headsDir.toString());
        List<Row> classified = Bert4jSpark.classify(texts(texts).coalesce(1), "text", "topic", options).collectAsList();
        assertNull(classified.get(1).get(2));
        assertEquals(heads.classify(List.of(texts.get(4)), "topic").getFirst().label(),
                classified.get(4).getStruct(2).getString(0));
    }

    @Test
    void anEmptyTextFailsTheJobNamingItsRowWhenAsked() {
        List<String> texts = Arrays.asList("Markets rally after the vote", "Storm hits the coast", null);
        SparkException e = assertThrows(SparkException.class, () -> Bert4jSpark.embed(texts(texts).coalesce(1), "text",
                "embedding", Bert4jSparkOptions.defaults().withEmptyText(EmptyText.ERROR)).collectAsList());
        assertTrue(e.getMessage().contains("bert4j: row 2 (0-based) of partition 0 has a null 'text': [2,null]"),
                e.getMessage());
    }

    @Test
    void aBadModelPathFailsTheJobWithOneClearMessage() {
        String missing = headsDir.resolve("no-such-model").toString();
        SparkException e = assertThrows(SparkException.class, () -> Bert4jSpark.embed(texts(headlines(10)), "text",
                "embedding", Bert4jSparkOptions.model(missing)).collectAsList());
        assertTrue(e.getMessage().contains("bert4j: cannot load model '" + missing + "'")
                && e.getMessage().contains("is neither a folder on this machine nor a folder shipped"), e.getMessage());

        // A folder that exists but holds no model: the engine's own reason comes through.
        e = assertThrows(SparkException.class, () -> Bert4jSpark.embed(texts(headlines(10)), "text", "embedding",
                Bert4jSparkOptions.model(headsDir.toString())).collectAsList());
        assertTrue(e.getMessage().contains("no model.safetensors"), e.getMessage());
    }

    @Test
    void aModelShippedWithAddFileIsFoundByItsName() throws IOException {
        Path model = DefaultModel.folder();
        spark.sparkContext().addFile(model.toString(), true);
        // Not a folder on this machine: the executor finds it among the shipped files by its last name.
        String elsewhere = "/nowhere/" + model.getFileName();
        List<String> texts = headlines(5);
        float[][] expected = oracle.encode(texts);
        int before = Bert4jSpark.modelLoads();
        List<Row> rows = Bert4jSpark.embed(texts(texts), "text", "embedding", Bert4jSparkOptions.model(elsewhere))
                .collectAsList();
        assertEquals(1, Bert4jSpark.modelLoads() - before, "the shipped copy is another folder: one more load");
        for (Row row : rows) {
            assertTrue(maxDifference(expected[(int) row.getLong(0)], ((Vector) row.get(2)).toArray())
                    <= EMBEDDING_TOLERANCE);
        }
    }

    @Test
    void sqlFunctionsGiveTheSameAnswers() {
        List<String> texts = Arrays.asList("Markets rally after the vote", null, "Storm hits the coast near Miami");
        Bert4jSpark.registerFunctions(spark, Bert4jSparkOptions.heads(headsDir.toString()));
        texts(texts).createOrReplaceTempView("news");
        List<Row> rows = spark.sql("SELECT id, bert4j_embed(text), bert4j_classify(text).label, bert4j_ner(text)"
                + " FROM news ORDER BY id").collectAsList();
        assertNull(rows.get(1).get(1));
        assertNull(rows.get(1).get(2));
        for (int i : new int[] {0, 2}) {
            assertTrue(maxDifference(oracle.encode(texts.get(i)), ((Vector) rows.get(i).get(1)).toArray())
                    <= EMBEDDING_TOLERANCE);
            assertEquals(heads.classify(List.of(texts.get(i)), "topic").getFirst().label(), rows.get(i).getString(2));
            assertEquals(heads.entities(List.of(texts.get(i)), "entities").getFirst().size(), rows.get(i).getList(3).size());
        }
    }

    @Test
    void badColumnsAreRefusedBeforeAnyJob() {
        Dataset<Row> df = texts(List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bert4jSpark.embed(df, "body", "embedding", Bert4jSparkOptions.defaults()));
        assertEquals("no input column 'body' (columns: [id, text])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bert4jSpark.embed(df, "id", "embedding", Bert4jSparkOptions.defaults()));
        assertEquals("input column 'id' is bigint, not string", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bert4jSpark.embed(df, "text", "id", Bert4jSparkOptions.defaults()));
        assertEquals("output column 'id' already exists (columns: [id, text])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bert4jSpark.classify(df, "text", "topic", Bert4jSparkOptions.defaults()));
        assertTrue(e.getMessage().contains("need a heads folder"), e.getMessage());
    }
}
