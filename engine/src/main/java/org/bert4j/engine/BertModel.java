package org.bert4j.engine;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.bert.BertEmbeddings;
import org.bert4j.engine.bert.BertEncoder;
import org.bert4j.engine.bert.BertPooler;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.bert.Compute;
import org.bert4j.engine.bert.Workspace;
import org.bert4j.engine.bert.Workspaces;
import org.bert4j.engine.kernels.BackendChoiceCache;
import org.bert4j.engine.kernels.Backends;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Repacking;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.tokenizer.BertTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A BERT encoder loaded from a Hugging Face model folder, turning packed token batches into hidden states
 * ({@code modeling_bert.py} {@code BertModel}: embeddings, encoder, optional pooler).
 *
 * <p>Every tensor's presence and shape is checked against {@code config.json} at load. One instance is safe to share
 * across threads: the weights are read-only and each forward pass allocates its own activations. Weights the GEMM
 * backend can read in place stay memory-mapped; {@link #close()} (which unmaps them and stops the threads) waits for
 * the forwards already running.
 */
public final class BertModel implements AutoCloseable {

    private final Path modelDir;
    private final BertConfig config;
    private final EngineOptions options;
    private final BertEmbeddings embeddings;
    private final BertEncoder encoder;
    private final BertPooler pooler;
    private final BertTokenizer tokenizer;
    private final SafetensorsFile weights;
    private final Compute compute;
    private final ComputePool pool;
    private final long loadMillis;
    private final Repacking repacking;
    private final Workspaces workspaces;
    /** Forwards hold its read lock, close() its write lock. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private BertModel(Path modelDir, BertConfig config, EngineOptions options, BertEmbeddings embeddings,
                      BertEncoder encoder, BertPooler pooler, BertTokenizer tokenizer, SafetensorsFile weights,
                      Compute compute, long loadMillis) {
        this.loadMillis = loadMillis;
        this.compute = compute;
        this.repacking = compute.repacking();
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.pool = compute.pool();
        this.workspaces = new Workspaces(config.hiddenSize(), config.intermediateSize(), pool.threads());
        this.modelDir = modelDir;
        this.config = config;
        this.options = options;
        this.embeddings = embeddings;
        this.encoder = encoder;
        this.pooler = pooler;
    }

    /** Loads with the default options (all processors, automatic GEMM backend). */
    public static BertModel load(Path modelDir) throws IOException {
        return load(modelDir, EngineOptions.defaults());
    }

    /** Loads {@code config.json} and {@code model.safetensors} from a model folder, validating every tensor. */
    public static BertModel load(Path modelDir, EngineOptions options) throws IOException {
        JvmRequirements.check();
        if (modelDir == null || !Files.isDirectory(modelDir)) {
            throw new IOException("model folder " + modelDir + " does not exist or is not a folder");
        }
        Path weights = modelDir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException(modelDir + ": no model.safetensors (convert the checkpoint first)");
        }
        long start = System.nanoTime();
        BertConfig config = BertConfig.read(modelDir.resolve("config.json"));
        BertTokenizer tokenizer = hasTokenizer(modelDir) ? BertTokenizer.load(modelDir) : null;
        SafetensorsFile file = SafetensorsFile.open(weights);
        ComputePool pool = null;
        try {
            // Everything the model computes with is chosen here, once: nothing switches it per call afterwards.
            Kernels kernels = Kernels.named(options.effectiveKernels());
            pool = ComputePool.create(options.effectiveThreads(), options.spinMicros() * 1000L, options.placeHelpers());
            Gemm gemm = Backends.byName(options.effectiveGemm(), kernels, pool, options.autoJavaBelowRows(),
                    linearShapes(config), BackendChoiceCache.defaultDir());
            Checkpoint checkpoint = new Checkpoint(file);
            Compute compute = new Compute(kernels, gemm, pool, int8(options, checkpoint));
            BertEmbeddings embeddings = BertEmbeddings.load(checkpoint, config, compute);
            BertEncoder encoder = BertEncoder.load(checkpoint, config, compute);
            BertPooler pooler = BertPooler.loadIfPresent(checkpoint, config, compute);
            return new BertModel(modelDir, config, options, embeddings, encoder, pooler, tokenizer, file, compute,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            // An OutOfMemoryError from a huge checkpoint too: the helper threads and the mapping must not outlive it.
            if (pool != null) {
                pool.close();
            }
            file.close();
            throw e;
        }
    }

    /**
     * The weight shapes {out, in} of the encoder's Linear layers, which "auto" times: the fused query/key/value, the
     * attention output (and the pooler's, the same), the intermediate and the output dense.
     */
    private static List<int[]> linearShapes(BertConfig c) {
        int h = c.hiddenSize();
        int i = c.intermediateSize();
        return List.of(new int[] {3 * h, h}, new int[] {h, h}, new int[] {i, h}, new int[] {h, i});
    }

    /**
     * Whether the encoder's Linear weights run in int8: as {@code quantize} says, else as the folder stores them (its
     * first query weight in I8).
     */
    private static boolean int8(EngineOptions options, Checkpoint checkpoint) throws IOException {
        String quantize = options.effectiveQuantize();
        if (quantize == null) {
            return checkpoint.isInt8("encoder.layer.0.attention.self.query.weight");
        }
        return switch (quantize) {
            case "int8" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("unknown quantize \"" + quantize
                    + "\" (system property bert4j.quantize; expected none or int8)");
        };
    }

    /** The last hidden state (and the pooler output when the checkpoint has a pooler) of every sequence. */
    public BertModelOutput forward(TokenBatch batch) {
        return forward(batch, false);
    }

    /**
     * Runs the model; with {@code outputHiddenStates} the result also holds the embeddings output and every layer's
     * output, as Hugging Face's {@code output_hidden_states=True}.
     */
    public BertModelOutput forward(TokenBatch batch, boolean outputHiddenStates) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        // Many forwards may run at once; close() waits until none is running, so it never unmaps weights in use.
        Lock running = lifecycle.readLock();
        running.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + modelDir + " is closed");
            }
            return run(batch, outputHiddenStates);
        } finally {
            running.unlock();
        }
    }

    private BertModelOutput run(TokenBatch batch, boolean outputHiddenStates) {
        embeddings.validate(batch);
        int tokens = batch.totalTokens();
        Workspace ws = workspaces.acquire(tokens);
        // The embeddings are computed into a scratch buffer and normalised into the residual stream.
        embeddings.forward(batch, ws.scratch(), ws.hidden());
        List<float[]> all = outputHiddenStates ? new ArrayList<>() : null;
        if (all != null) {
            all.add(ws.hidden().clone());
        }
        encoder.forward(batch, ws, all);
        float[] last = ws.hidden();
        workspaces.release(ws);
        float[] pooled = pooler == null ? null : pooler.forward(batch, last);
        return new BertModelOutput(last, config.hiddenSize(), batch.sequenceStarts().clone(), batch.sequenceLengths().clone(),
                all == null ? null : List.copyOf(all), pooled);
    }

    private static boolean hasTokenizer(Path modelDir) {
        return Files.isRegularFile(modelDir.resolve("tokenizer.json")) || Files.isRegularFile(modelDir.resolve("vocab.txt"));
    }

    /** The tokenizer of the model folder; an error if the folder has none (no tokenizer.json nor vocab.txt). */
    public BertTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException(modelDir + " has no tokenizer (neither tokenizer.json nor vocab.txt)");
        }
        return tokenizer;
    }

    /** The model's configuration. */
    public BertConfig config() {
        return config;
    }

    /** The options it was loaded with. */
    public EngineOptions options() {
        return options;
    }

    /** Whether the checkpoint has a pooler, so {@link BertModelOutput#pooler()} is filled. */
    public boolean hasPooler() {
        return pooler != null;
    }

    /** The folder it was loaded from. */
    public Path modelDir() {
        return modelDir;
    }

    /** The GEMM backend in use ("openblas", "java", "auto"). */
    public String gemm() {
        return compute.gemm().name();
    }

    /**
     * Which GEMM backend each of the model's weight shapes uses, and why: one line per shape with the timings that
     * drew the line between the Java GEMM and OpenBLAS ("auto"), or the one backend ("java", "openblas"). Int8 weights
     * follow the same lines, widened to FP32 for the calls OpenBLAS takes.
     */
    public String gemmChoices() {
        return Backends.describe(compute.gemm());
    }

    /**
     * The precision of the encoder's Linear weights: "int8" (one byte per weight, a scale per output channel, widened
     * to FP32 inside the GEMM), "int8-widened" (int8 values widened to FP32 at load, for OpenBLAS, which multiplies
     * FP32 only) or "fp32".
     */
    public String weights() {
        if (!compute.int8()) {
            return "fp32";
        }
        return compute.gemm().name().equals("openblas") ? "int8-widened" : "int8";
    }

    /** The kernel set in use ("vector-256", "scalar", ...). */
    public String kernels() {
        return compute.kernels().name();
    }

    /**
     * Runs forward passes on made-up inputs until their time settles or {@code budget} runs out, so that the JIT has
     * compiled the model's kernels before the first real request: what a server calls once after loading. Returns
     * the number of forwards run. The outputs of later forwards do not depend on it: the kernels are the same, only
     * faster once compiled.
     */
    public int warmUp(java.time.Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        // A short batch and a longer one: attention and the GEMMs see both of their shapes (few rows, many rows).
        TokenBatch small = syntheticBatch(1, 16);
        TokenBatch large = syntheticBatch(4, Math.min(128, config.maxPositionEmbeddings()));
        long previous = Long.MAX_VALUE;
        int runs = 0;
        int steady = 0;
        while (System.nanoTime() < deadline && steady < 3) {
            long t = System.nanoTime();
            forward(small);
            forward(large);
            long elapsed = System.nanoTime() - t;
            runs += 2;
            // Settled: within 10% of the previous round three times in a row.
            steady = elapsed < previous * 1.1 && elapsed > previous * 0.9 ? steady + 1 : 0;
            previous = elapsed;
        }
        return runs;
    }

    private TokenBatch syntheticBatch(int sequences, int length) {
        int[][] ids = new int[sequences][length];
        for (int s = 0; s < sequences; s++) {
            for (int t = 0; t < length; t++) {
                ids[s][t] = (s * 31 + t * 7) % config.vocabSize();
            }
        }
        return TokenBatch.of(ids, null);
    }

    /** How long {@link #load} took, the repacking done at load included, in milliseconds. */
    public long loadMillis() {
        return loadMillis;
    }

    /**
     * Bytes of weights the model holds in its own copy (the Java kernel's panels, the fused Q/K/V stack, tensors
     * converted from F16/BF16); the others are read in place from the memory-mapped file. It grows when the
     * {@code auto} backend packs a layer's panels on the first small batch that needs them.
     */
    public long packedWeightBytes() {
        return repacking.bytes();
    }

    /** Time spent making those copies so far (at load, and later for {@code auto}), in milliseconds. */
    public double repackMillis() {
        return repacking.millis();
    }

    /** One line for logs: the model's shape, backend, threads, load time and the weight copies made so far. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "BertModel[%s: %d layers, hidden %d, %d heads; kernels %s, gemm %s, %d threads,"
                        + " %s weights; loaded in %d ms; weights repacked: %s]", modelDir.getFileName(), config.numHiddenLayers(),
                config.hiddenSize(), config.numAttentionHeads(), kernels(), gemm(), pool.threads(), weights(), loadMillis,
                repacking);
    }

    /** The number of compute threads. */
    public int threads() {
        return pool.threads();
    }

    /**
     * Stops the compute threads and unmaps the weights, after the forwards already running have finished; later
     * forwards fail with an IllegalStateException. Idempotent.
     */
    @Override
    public void close() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (!closed) {
                closed = true;
                pool.close();
                weights.close();
            }
        } finally {
            exclusive.unlock();
        }
    }
}
