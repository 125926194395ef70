package org.bert4j.heads.train;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.Backbone;
import org.bert4j.heads.FakeBackbone;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Features are computed only after the backbone's kernels are steady, so fresh ones equal cached ones bit for bit. */
class FeatureExtractorTest {

    @TempDir
    Path dir;

    /** A backbone that notes when it runs. */
    private static final class Recording implements Backbone {
        final FakeBackbone inner = new FakeBackbone(8, 32);
        final List<String> events = new ArrayList<>();

        @Override public int hiddenSize() { return inner.hiddenSize(); }
        @Override public Tokens tokenize(String text) { return inner.tokenize(text); }
        @Override public String reference() { return inner.reference(); }
        @Override public int maxLength() { return inner.maxLength(); }

        @Override
        public BertModelOutput forward(List<Tokens> batch) {
            events.add("forward");
            return inner.forward(batch);
        }
    }

    @Test
    void cachedFeaturesRunNothing() throws Exception {
        Recording backbone = new Recording();
        Head head = MultiTaskModel.on(backbone).addClassificationHead("c", List.of("a", "b"), Pooling.MEAN, 1);
        FeatureStore store = new FeatureStore(dir.resolve("features"));
        List<FeatureExtractor.Request> requests = List.of(new FeatureExtractor.Request(head, FeatureStoreTest.EXAMPLES));
        FeatureExtractor.extract(backbone, requests, 1, store, (done, total) -> { });
        assertEquals(List.of("forward", "forward"), backbone.events);   // two texts, batches of one
        backbone.events.clear();
        FeatureExtractor.extract(backbone, requests, 1, store, (done, total) -> { });
        assertEquals(List.of(), backbone.events, "all cached: nothing to run");
    }
}
