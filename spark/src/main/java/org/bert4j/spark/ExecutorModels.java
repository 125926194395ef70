package org.bert4j.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.HeadsFolder;
import org.bert4j.heads.MultiTaskModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The models loaded in this JVM, one per (folder, settings), shared by every task the JVM runs.
 *
 * <p>This is the module's one piece of static mutable state, and deliberately so: Spark runs many tasks in one
 * executor JVM, one after another and several at once, and gives them nothing that lives longer than a task. A
 * model loaded per task would map its weights and start its threads again for every partition; kept here, it is
 * loaded once per executor and the later tasks find it. Models stay until {@link #closeAll()} (the executor's end,
 * or a local-mode application that wants its memory back). Loading is serialised, so two tasks asking at once
 * load once; a failed load is not remembered, so a later task tries again.
 */
final class ExecutorModels {

    /** What makes two loaded models the same: the resolved folders and every setting that changes the results. */
    private record Key(String kind, Path model, Path heads, int maxLength, int threads, String gemm, Pooling pooling,
                       Boolean normalize, int batchSize) {
    }

    private static final Map<Key, AutoCloseable> LOADED = new HashMap<>();
    /** Models loaded since the JVM started (the tests' proof that the cache works). */
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {
    }

    /** The sentence encoder the options name, with {@code threads} compute threads, loaded on first use. */
    static SentenceEncoder encoder(Bert4jSparkOptions options, int threads) {
        String location = options.model() == null ? BertBackbone.BUNDLED + BundledModels.DEFAULT_MODEL
                : options.model();
        synchronized (LOADED) {
            Path folder = resolve("model", location);
            Key key = new Key("encoder", folder, null, options.maxLength(), threads, options.gemm(), options.pooling(),
                    options.normalize(), options.batchSize());
            AutoCloseable model = LOADED.get(key);
            if (model == null) {
                EngineOptions engine = EngineOptions.defaults().withThreads(threads).withGemm(options.gemm());
                EncoderOptions encoderOptions = new EncoderOptions(options.pooling(), options.normalize(),
                        options.batchSize(), options.maxLength(), engine);
                model = load(location, () -> SentenceEncoder.load(folder, encoderOptions));
                LOADED.put(key, model);
            }
            return (SentenceEncoder) model;
        }
    }

    /**
     * The heads the options name on their backbone (the options' model, else the one {@code heads.json} records), with
     * {@code threads} compute threads, loaded on first use.
     */
    static MultiTaskModel heads(Bert4jSparkOptions options, int threads) {
        if (options.heads() == null) {
            throw new IllegalArgumentException("classify and ner need a heads folder: Bert4jSparkOptions.heads(dir)");
        }
        synchronized (LOADED) {
            Path headsFolder = resolve("heads", options.heads());
            Path modelFolder = options.model() == null ? null : resolve("model", options.model());
            Key key = new Key("heads", modelFolder, headsFolder, options.maxLength(), threads, options.gemm(), null, null,
                    options.batchSize());
            AutoCloseable model = LOADED.get(key);
            if (model == null) {
                EngineOptions engine = EngineOptions.defaults().withThreads(threads).withGemm(options.gemm());
                model = load(options.heads(), () -> {
                    HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(headsFolder);
                    // The heads were trained at their saved length; another one is the caller's explicit choice.
                    int maxLength = options.maxLength() == 0 ? saved.maxLength() : options.maxLength();
                    BertBackbone backbone = modelFolder == null
                            ? BertBackbone.fromReference(saved.reference(), headsFolder, maxLength, engine)
                            : BertBackbone.open(modelFolder, maxLength, engine);
                    try {
                        return MultiTaskModel.load(headsFolder, backbone).withBatchSize(options.batchSize());
                    } catch (IOException | RuntimeException e) {
                        backbone.close();
                        throw e;
                    }
                });
                LOADED.put(key, model);
            }
            return (MultiTaskModel) model;
        }
    }

    /** How many models this JVM has loaded since it started: one per executor and setting when the cache works. */
    static int loads() {
        return LOADS.get();
    }

    /** Closes every model and forgets them; the next task loads again. */
    static void closeAll() {
        synchronized (LOADED) {
            for (AutoCloseable model : LOADED.values()) {
                try {
                    model.close();
                } catch (Exception e) {
                    // Closing frees threads and mappings; one that fails must not keep the others open.
                }
            }
            LOADED.clear();
        }
    }

    private interface Loader {
        AutoCloseable load() throws IOException;
    }

    private static Path resolve(String what, String location) {
        try {
            return ModelLocation.resolve(what, location);
        } catch (IOException e) {
            throw new ModelLoadException("bert4j: cannot load " + what + " '" + location + "' on " + host() + ": "
                    + e.getMessage(), e);
        }
    }

    private static AutoCloseable load(String location, Loader loader) {
        try {
            AutoCloseable model = loader.load();
            LOADS.incrementAndGet();
            return model;
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("bert4j: cannot load '" + location + "' on " + host() + ": " + e.getMessage(), e);
        }
    }

    private static String host() {
        try {
            return "host " + java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this executor";
        }
    }
}
