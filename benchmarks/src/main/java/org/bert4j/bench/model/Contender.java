package org.bert4j.bench.model;

import ai.onnxruntime.OrtException;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One engine in a {@link ModelRatio} comparison: all-MiniLM-L6-v2's forward pass and mean pooling, prepared for a
 * shape and then timed turn by turn. The names: "bert4j" (FP32 weights), "bert4j-int8" (int8 weights quantized at
 * load), "onnxruntime" (the FP32 ONNX file) and "onnxruntime-int8" (the dynamically quantized ONNX file of the
 * {@code -q} model jar, int8 weights and activations).
 */
interface Contender extends AutoCloseable {

    /** The names {@link #open} accepts, in the order a report lists them. */
    java.util.List<String> NAMES = java.util.List.of("bert4j", "bert4j-int8", "onnxruntime", "onnxruntime-int8");

    String name();

    /** Makes the inputs of {@code ids} ready, so {@link #run} times only the forward and the pooling. */
    void prepare(int[][] ids);

    /** One forward pass and mean pooling of the prepared batch. */
    void run() throws OrtException;

    /** One line on how it computes (a loaded model's backend, an ONNX file). */
    String describe();

    @Override
    void close() throws OrtException;

    static Contender open(String name, Path modelDir, int threads, String gemm) throws IOException, OrtException {
        return switch (name) {
            case "bert4j" -> new Bert4j(name, BertModel.load(modelDir,
                    EngineOptions.defaults().withThreads(threads).withGemm(gemm).withQuantize("none")));
            case "bert4j-int8" -> new Bert4j(name, BertModel.load(modelDir,
                    EngineOptions.defaults().withThreads(threads).withGemm(gemm).withQuantize("int8")));
            case "onnxruntime" -> new Ort(name, "/all-minilm-l6-v2.onnx", threads);
            case "onnxruntime-int8" -> new Ort(name, "/all-minilm-l6-v2-q.onnx", threads);
            default -> throw new IllegalArgumentException("unknown contender \"" + name + "\"; expected one of " + NAMES);
        };
    }

    /** bert4j's model, warmed up at load (the JIT compiles its kernels before the first timed turn). */
    final class Bert4j implements Contender {
        private final String name;
        final BertModel model;
        private TokenBatch batch;

        Bert4j(String name, BertModel model) {
            this.name = name;
            this.model = model;
            model.warmUp(org.bert4j.bench.BenchmarkJvm.WARM_UP);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void prepare(int[][] ids) {
            batch = Shapes.batch(ids);
        }

        @Override
        public void run() {
            MeanPooled.of(model, batch);
        }

        @Override
        public String describe() {
            return model.toString();
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** onnxruntime on the right-padded batch with its attention mask. */
    final class Ort implements Contender {
        private final String name;
        private final String resource;
        private final OrtPeer peer;
        private OrtPeer.Inputs inputs;

        Ort(String name, String resource, int threads) throws IOException, OrtException {
            this.name = name;
            this.resource = resource;
            this.peer = new OrtPeer(resource, threads);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void prepare(int[][] ids) {
            inputs = OrtPeer.Inputs.of(ids);
        }

        @Override
        public void run() throws OrtException {
            peer.meanPooled(inputs);
        }

        @Override
        public String describe() {
            return "onnxruntime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion() + " on " + resource;
        }

        @Override
        public void close() throws OrtException {
            peer.close();
        }
    }
}
