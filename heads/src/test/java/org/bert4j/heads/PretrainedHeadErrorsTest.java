package org.bert4j.heads;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.engine.EngineOptions;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.train.FineTuner;
import org.bert4j.heads.train.Task;
import org.bert4j.heads.train.Trainer;
import org.bert4j.heads.train.TrainingListener;
import org.bert4j.heads.train.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task model folder whose head, labels or config disagree fails at load, with a message naming what disagrees. */
class PretrainedHeadErrorsTest {

    static final EngineOptions ONE_THREAD = EngineOptions.defaults().withThreads(1);

    @TempDir
    Path dir;

    private Path edited(String fixture, Consumer<JsonObject> edit) throws IOException {
        Path folder = HfFixtures.converted(fixture, dir);
        Path file = folder.resolve("config.json");
        JsonObject config = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        edit.accept(config);
        Files.writeString(file, config.toString(), StandardCharsets.UTF_8);
        return folder;
    }

    private static void fails(Path folder, String... mentions) {
        IOException e = assertThrows(IOException.class, () -> MultiTaskModel.load(folder, ONE_THREAD).close());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + m + "' in: " + e.getMessage());
        }
    }

    @Test
    void labelsThatDoNotMatchTheClassifierAreNamedWithBothShapes() throws IOException {
        Path folder = edited("seq-cls", c -> {
            JsonObject two = new JsonObject();
            two.addProperty("0", "bad");
            two.addProperty("1", "good");
            c.add("id2label", two);
        });
        fails(folder, "classifier.weight", "[3, 32]", "[2, 32]");
    }

    @Test
    void id2labelWithAHoleIsNamed() throws IOException {
        Path folder = edited("seq-cls", c -> c.getAsJsonObject("id2label").add("3", c.getAsJsonObject("id2label").remove("2")));
        fails(folder, "config.json", "id2label", "0 to 2", "3");
    }

    @Test
    void aTokenClassifierWithoutAnOutsideTagIsRefused() throws IOException {
        Path folder = edited("token-cls", c -> c.getAsJsonObject("id2label").addProperty("1", "OUTSIDE"));
        fails(folder, "'O'", "id2label");
    }

    @Test
    void aFolderThatIsNeitherHeadsNorATaskModelSaysBoth() throws IOException {
        Path folder = edited("seq-cls", c -> {
            c.remove("architectures");
            c.add("architectures", JsonParser.parseString("[\"BertModel\"]"));
        });
        fails(folder, "heads.json", "BertModel", "BertForSequenceClassification");
    }

    @Test
    void anUnknownProblemTypeIsRefusedAsTransformersDoes() throws IOException {
        Path folder = edited("multi-label", c -> c.addProperty("problem_type", "multilabel"));
        fails(folder, "problem_type", "multilabel", "multi_label_classification");
    }

    @Test
    void aPoolerHeadCannotGoOnABackboneWithoutPooler() throws IOException {
        Path saved = dir.resolve("saved");
        try (MultiTaskModel model = MultiTaskModel.load(HfFixtures.converted("seq-cls", dir), ONE_THREAD)) {
            model.save(saved);
        }
        // The token classifier's backbone has the same width but, as transformers saves it, no pooler.
        try (BertBackbone noPooler = BertBackbone.open(HfFixtures.converted("token-cls", dir), 0, ONE_THREAD)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MultiTaskModel.load(saved, noPooler));
            assertTrue(e.getMessage().contains("pooler"), e.getMessage());
        }
    }

    @Test
    void fineTuningRefusesAHeadThatReadsThePooler() throws IOException {
        try (MultiTaskModel model = MultiTaskModel.load(HfFixtures.converted("seq-cls", dir), ONE_THREAD)) {
            List<Example> data = List.of(Example.labelled("the movie was great", "positive"),
                    Example.labelled("a boring film", "negative"), Example.labelled("it was fine", "neutral"),
                    Example.labelled("great acting", "positive"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FineTuner.train(model,
                    List.of(new Task(PretrainedHead.NAME, data, List.of())), TrainingOptions.defaults().withEpochs(1)
                            .withUnfreezeLayers(1), TrainingListener.silent()));
            assertTrue(e.getMessage().contains("pooler"), e.getMessage());
        }
    }

    @Test
    void trainingRefusesAHeadThatDoesNotScoreWithSoftmax() {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(16, 64));
        Linear linear = new Linear("tags", 16, 3);
        model.addHead(new ClassificationHead("tags", new LabelVocabulary(TemplatedDataAccess.topics()), Pooling.MEAN,
                false, ClassificationFunction.SIGMOID, linear));
        List<Example> data = TemplatedDataAccess.generate(40, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(model,
                List.of(Task.split("tags", data, 0.25, 1)), TrainingOptions.defaults().withEpochs(1),
                TrainingListener.silent()));
        assertTrue(e.getMessage().contains("sigmoid") && e.getMessage().contains("softmax"), e.getMessage());
    }
}
