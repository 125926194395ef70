package org.bert4j.server;

import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.models.DefaultModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the server tests of one JVM share, each made once: the default model's folder (all-MiniLM-L6-v2), heads on
 * it with random weights (a classification head and a BIO NER head: the server must reproduce MultiTaskModel, not
 * a trained model's quality), an in-process SentenceEncoder and MultiTaskModel as oracles, and one server with the
 * heads on a free port.
 */
final class TestServers {

    /** The heads' max length: short enough to keep tests fast, long enough for every test text. */
    static final int HEADS_MAX_LENGTH = 128;

    private static Path heads;
    private static SentenceEncoder encoder;
    private static MultiTaskModel oracle;
    private static BertServer shared;

    private TestServers() {
    }

    static Path modelDir() {
        try {
            return DefaultModel.folder();
        } catch (IOException e) {
            throw new UncheckedIOException("could not convert the default model", e);
        }
    }

    /** A heads folder on the default model: "topic" (4 labels, mean pooling) and "entities" (PER, ORG in BIO). */
    static synchronized Path headsDir() {
        if (heads == null) {
            try (BertBackbone backbone = BertBackbone.open(modelDir(), HEADS_MAX_LENGTH, EngineOptions.defaults())) {
                MultiTaskModel model = MultiTaskModel.on(backbone);
                model.addClassificationHead("topic", List.of("POLITICS", "SPORTS", "TECH", "WELLNESS"), Pooling.MEAN, 7);
                model.addTokenClassificationHead("entities", Set.of("PER", "ORG"), TagScheme.BIO, 11);
                Path dir = Files.createTempDirectory("bert4j-server-heads");
                model.save(dir);
                heads = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return heads;
    }

    /** The heads loaded in-process on their own backbone: what /predict and /ner must answer. */
    static synchronized MultiTaskModel oracle() {
        if (oracle == null) {
            try {
                oracle = MultiTaskModel.load(headsDir(), BertBackbone.open(modelDir(), HEADS_MAX_LENGTH,
                        EngineOptions.defaults()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return oracle;
    }

    /** The model's SentenceEncoder in-process: what /embed must answer. */
    static synchronized SentenceEncoder encoder() {
        if (encoder == null) {
            try {
                encoder = SentenceEncoder.load(modelDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return encoder;
    }

    /** The shared server: the default model with the heads, TEI's defaults, a free port. */
    static synchronized BertServer shared() {
        if (shared == null) {
            shared = start(ServerOptions.defaults().withPort(0), true);
        }
        return shared;
    }

    /** A new server (close it) on the default model, with or without the heads. */
    static BertServer start(ServerOptions options, boolean withHeads) {
        try {
            return BertServer.start(modelDir(), withHeads ? headsDir() : null, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
