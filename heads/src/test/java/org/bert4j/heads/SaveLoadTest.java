package org.bert4j.heads;

import org.bert4j.folder.Pooling;
import org.bert4j.heads.ner.TagScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaveLoadTest {

    @TempDir
    Path dir;

    private static MultiTaskModel model(int hidden) {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(hidden, 64));
        model.addClassificationHead("topic", List.of("SPORTS", "BUSINESS", "WEATHER"), Pooling.MEAN, 1);
        model.addTokenClassificationHead("ner", List.of("PER", "LOC", "ORG"), TagScheme.BIO, 2);
        Random random = new Random(5);
        for (Head head : model.heads().values()) {
            head.linear().initialize(random, 1.0);
        }
        return model;
    }

    @Test
    void saveThenLoadPredictsIdentically() throws IOException {
        MultiTaskModel original = model(16);
        original.save(dir);
        MultiTaskModel loaded = MultiTaskModel.load(dir, new FakeBackbone(16, 64));
        assertEquals(List.of("topic", "ner"), List.copyOf(loaded.heads().keySet()));
        for (String name : List.of("topic", "ner")) {
            Head a = original.head(name);
            Head b = loaded.head(name);
            assertEquals(a.labels(), b.labels());
            assertArrayEquals(a.linear().weight().value(), b.linear().weight().value());
            assertArrayEquals(a.linear().bias().value(), b.linear().bias().value());
        }
        List<String> texts = TemplatedData.generate(20, 9).stream().map(e -> e.text()).toList();
        assertEquals(original.predictAll(texts), loaded.predictAll(texts));
        assertEquals("fake:16", HeadsFolder.backboneOf(dir).reference());
    }

    @Test
    void loadingOntoABackboneOfAnotherWidthFails() throws IOException {
        model(16).save(dir);
        IOException e = assertThrows(IOException.class, () -> MultiTaskModel.load(dir, new FakeBackbone(8, 64)));
        assertTrue(e.getMessage().contains("hidden size 16") && e.getMessage().contains("8"), e.getMessage());
    }

    @Test
    void tamperedFilesAreRejectedWithTheirName() throws IOException {
        model(16).save(dir);
        Path json = dir.resolve(HeadsFolder.JSON);
        String text = Files.readString(json);
        Files.writeString(json, text.replace("\"input_width\": 16", "\"input_width\": 12"));
        IOException e = assertThrows(IOException.class, () -> MultiTaskModel.load(dir, new FakeBackbone(16, 64)));
        assertTrue(e.getMessage().contains("heads.json") && e.getMessage().contains("12"), e.getMessage());

        Files.writeString(json, text.replace("\"WEATHER\"", "\"WEATHER\", \"EXTRA\""));
        e = assertThrows(IOException.class, () -> MultiTaskModel.load(dir, new FakeBackbone(16, 64)));
        assertTrue(e.getMessage().contains("topic.weight") && e.getMessage().contains("[3, 16]"), e.getMessage());

        Files.delete(json);
        e = assertThrows(IOException.class, () -> MultiTaskModel.load(dir, new FakeBackbone(16, 64)));
        assertTrue(e.getMessage().contains("no heads.json"), e.getMessage());
    }
}
