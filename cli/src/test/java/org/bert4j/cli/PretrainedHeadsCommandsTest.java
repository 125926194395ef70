package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.Tokens;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.EntityAggregator;
import org.bert4j.heads.train.CrossEntropy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face task checkpoints made by PyTorch (the heads module's test resources hf-heads/, see
 * scripts/torch/hf_heads/make_hf_heads.py) converted with {@code bert4j convert} and run with {@code classify},
 * {@code ner} and {@code rerank}: what they print equals PyTorch's outputs to 1e-4 (PretrainedHeadsTest says why).
 */
class PretrainedHeadsCommandsTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;

    /** The fixtures live in the heads module; Maven runs each module's tests in the module's folder. */
    static Path fixture(String name) {
        Path folder = Path.of("..", "heads", "src", "test", "resources", "hf-heads", name).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(folder.resolve("expected.json")), "fixture missing: " + folder);
        return folder;
    }

    static JsonObject expected(String name) throws IOException {
        return JsonParser.parseString(Files.readString(fixture(name).resolve("expected.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    static Path converted(String name) {
        return dir.resolve(name);
    }

    @BeforeAll
    static void convertEveryFixture() {
        for (String name : List.of("seq-cls", "multi-label", "token-cls", "cross-encoder")) {
            Cli run = Cli.run("convert", fixture(name).toString(), "--out", converted(name).toString());
            assertEquals(Main.OK, run.code(), run.err());
        }
    }

    private static List<String> texts(JsonObject expected) {
        List<String> texts = new ArrayList<>();
        for (JsonElement e : expected.getAsJsonArray("examples")) {
            texts.add(e.getAsJsonObject().get("text").getAsString());
        }
        return texts;
    }

    private static String[] args(List<String> head, List<String> texts) {
        List<String> all = new ArrayList<>(head);
        all.addAll(texts);
        return all.toArray(String[]::new);
    }

    private static void assertScores(JsonArray torch, JsonObject printed, List<String> labels, String what) {
        assertEquals(labels.size(), printed.size(), what + ": " + printed);
        for (int i = 0; i < labels.size(); i++) {
            assertEquals(torch.get(i).getAsDouble(), printed.get(labels.get(i)).getAsDouble(), TOLERANCE, what + " " + labels.get(i));
        }
    }

    private static List<String> labels(JsonObject expected) {
        List<String> labels = new ArrayList<>();
        expected.getAsJsonArray("labels").forEach(l -> labels.add(l.getAsString()));
        return labels;
    }

    @Test
    void convertSaysWhatTheHeadPredicts() {
        Cli run = Cli.run("convert", fixture("token-cls").toString(), "--out", dir.resolve("again").toString());
        assertEquals(Main.OK, run.code(), run.err());
        assertTrue(run.err().contains("BertForTokenClassification head with 7 labels: B-LOC, O, I-PER"), run.err());
    }

    @Test
    void classifyPrintsTorchsSoftmaxAndWithFunctionNoneItsLogits() throws IOException {
        JsonObject expected = expected("seq-cls");
        List<String> texts = texts(expected);
        List<String> labels = labels(expected);
        for (String option : List.of("--model", "--heads")) {
            Cli run = Cli.run(args(List.of("classify", option, converted("seq-cls").toString()), texts));
            assertEquals(Main.OK, run.code(), run.err());
            Cli logits = Cli.run(args(List.of("classify", option, converted("seq-cls").toString(),
                    "--function-to-apply", "none"), texts));
            assertEquals(Main.OK, logits.code(), logits.err());
            for (int i = 0; i < texts.size(); i++) {
                JsonObject torch = expected.getAsJsonArray("examples").get(i).getAsJsonObject();
                JsonObject line = JsonParser.parseString(run.lines().get(i)).getAsJsonObject();
                assertScores(torch.getAsJsonArray("scores"), line.getAsJsonObject("probabilities"), labels, texts.get(i));
                JsonObject logitLine = JsonParser.parseString(logits.lines().get(i)).getAsJsonObject();
                assertScores(torch.getAsJsonArray("logits"), logitLine.getAsJsonObject("logits"), labels, texts.get(i));
                assertEquals(line.get("label").getAsString(), logitLine.get("label").getAsString());
            }
        }
    }

    @Test
    void classifyScoresAMultiLabelModelWithSigmoid() throws IOException {
        JsonObject expected = expected("multi-label");
        List<String> texts = texts(expected);
        Cli run = Cli.run(args(List.of("classify", "--model", converted("multi-label").toString()), texts));
        assertEquals(Main.OK, run.code(), run.err());
        for (int i = 0; i < texts.size(); i++) {
            JsonObject torch = expected.getAsJsonArray("examples").get(i).getAsJsonObject();
            JsonObject line = JsonParser.parseString(run.lines().get(i)).getAsJsonObject();
            assertScores(torch.getAsJsonArray("scores"), line.getAsJsonObject("probabilities"), labels(expected), texts.get(i));
        }
    }

    @Test
    void nerPrintsTheEntitiesOfTorchsLogits() throws IOException {
        JsonObject expected = expected("token-cls");
        List<String> texts = texts(expected);
        List<String> labels = labels(expected);
        Cli run = Cli.run(args(List.of("ner", "--model", converted("token-cls").toString(), "--aggregation", "simple"),
                texts));
        assertEquals(Main.OK, run.code(), run.err());
        int entities = 0;
        try (MultiTaskModel model = MultiTaskModel.load(converted("token-cls"), EngineOptions.defaults().withThreads(1))) {
            for (int i = 0; i < texts.size(); i++) {
                Tokens tokens = model.backbone().tokenize(texts.get(i));
                JsonArray torch = expected.getAsJsonArray("examples").get(i).getAsJsonObject().getAsJsonArray("logits");
                double[] flat = new double[tokens.length() * labels.size()];
                for (int t = 0; t < tokens.length(); t++) {
                    for (int l = 0; l < labels.size(); l++) {
                        flat[t * labels.size() + l] = torch.get(t).getAsJsonArray().get(l).getAsDouble();
                    }
                }
                List<Entity> want = EntityAggregator.aggregate(texts.get(i), CrossEntropy.softmaxRows(flat, tokens.length(),
                        labels.size()), labels, tokens.offsetStarts(), tokens.offsetEnds(), tokens.wordIds(),
                        AggregationStrategy.SIMPLE);
                JsonArray printed = JsonParser.parseString(run.lines().get(i)).getAsJsonObject().getAsJsonArray("entities");
                assertEquals(want.size(), printed.size(), texts.get(i) + ": " + printed);
                for (int e = 0; e < want.size(); e++) {
                    JsonObject p = printed.get(e).getAsJsonObject();
                    assertEquals(want.get(e).label(), p.get("label").getAsString());
                    assertEquals(want.get(e).text(), p.get("text").getAsString());
                    assertEquals(want.get(e).score(), p.get("score").getAsDouble(), TOLERANCE);
                }
                entities += want.size();
            }
        }
        assertTrue(entities > 3, "the texts hold entities: " + entities);
    }

    @Test
    void rerankPrintsTorchsScoresBestFirst() throws IOException {
        JsonArray pairs = expected("cross-encoder").getAsJsonArray("pairs");
        String query = pairs.get(0).getAsJsonObject().get("query").getAsString();
        List<String> documents = new ArrayList<>();
        pairs.forEach(p -> documents.add(p.getAsJsonObject().get("document").getAsString()));
        Cli run = Cli.run(args(List.of("rerank", "--model", converted("cross-encoder").toString(), "--query", query),
                documents));
        assertEquals(Main.OK, run.code(), run.err());
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
        order.sort(Comparator.comparingDouble((Integer i) -> pairs.get(i).getAsJsonObject().get("logit").getAsDouble())
                .reversed());
        assertEquals(4, run.lines().size(), run.out());
        for (int rank = 0; rank < 4; rank++) {
            JsonObject line = JsonParser.parseString(run.lines().get(rank)).getAsJsonObject();
            int id = line.get("corpus_id").getAsInt();
            assertEquals(order.get(rank), id, run.out());
            assertEquals(pairs.get(id).getAsJsonObject().get("logit").getAsDouble(), line.get("score").getAsDouble(),
                    TOLERANCE, "the model declares Identity: scores are the logits");
            assertEquals(documents.get(id), line.get("text").getAsString());
        }
        Cli top = Cli.run(args(List.of("rerank", "--model", converted("cross-encoder").toString(), "--query", query,
                "--top-k", "2", "--activation", "sigmoid"), documents));
        assertEquals(Main.OK, top.code(), top.err());
        assertEquals(2, top.lines().size(), top.out());
        JsonObject best = JsonParser.parseString(top.lines().getFirst()).getAsJsonObject();
        assertEquals(order.getFirst(), best.get("corpus_id").getAsInt());
        assertEquals(pairs.get(order.getFirst()).getAsJsonObject().get("sigmoid").getAsDouble(),
                best.get("score").getAsDouble(), TOLERANCE);
    }

    @Test
    void rerankReadsDocumentsFromStdin() {
        Cli run = Cli.runWithStdin("Mary went to London.\nJohn Smith lives in New York.\n", "rerank", "--model",
                converted("cross-encoder").toString(), "--query", "Where does John live?", "--pretty");
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(2, run.lines().size(), run.out());
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhatToDo() throws IOException {
        Cli noQuery = Cli.run("rerank", "--model", converted("cross-encoder").toString(), "a document");
        assertEquals(Main.USAGE, noQuery.code());
        assertTrue(noQuery.err().contains("--query"), noQuery.err());

        Cli severalLabels = Cli.run("rerank", "--model", converted("seq-cls").toString(), "--query", "q", "d");
        assertEquals(Main.FAILURE, severalLabels.code());
        assertTrue(severalLabels.err().contains("3") && severalLabels.err().contains("classify"), severalLabels.err());

        Cli wrongKind = Cli.run("classify", "--heads", converted("token-cls").toString(), "some text");
        assertEquals(Main.USAGE, wrongKind.code());
        assertTrue(wrongKind.err().contains("no classification head") && wrongKind.err().contains("token_classification"),
                wrongKind.err());

        Cli twoBackbones = Cli.run("ner", "--heads", converted("token-cls").toString(), "--model",
                converted("seq-cls").toString(), "some text");
        assertEquals(Main.USAGE, twoBackbones.code());
        assertTrue(twoBackbones.err().contains("leave out --model"), twoBackbones.err());

        Path plain = Files.createDirectories(dir.resolve("plain"));
        for (String file : List.of("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json")) {
            Files.copy(converted("seq-cls").resolve(file), plain.resolve(file));
        }
        Path config = plain.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("BertForSequenceClassification", "BertModel"));
        Cli noHead = Cli.run("classify", "--model", plain.toString(), "some text");
        assertEquals(Main.USAGE, noHead.code());
        assertTrue(noHead.err().contains("has no task head") && noHead.err().contains("--heads"), noHead.err());
    }
}
