package org.bert4j.training.bert;

import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The BERT layers of a trainable model: embeddings, the encoder's layers and the optional pooler, with which of them
 * train. The forward runs them all (frozen ones too, with dropout when training, as a PyTorch module in training
 * mode does whatever requires_grad says); the backward stops below the lowest layer that trains.
 */
public final class TrainableBert {

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final BertLayer[] layers;
    private final BertPooler pooler;
    /** Layers [firstTrained, layers) train; firstTrained = −1 means the embeddings train too. */
    private final int firstTrained;

    /** What one forward keeps for its backward. */
    public static final class Pass {
        final TokenBatch batch;
        final BertEmbeddings.Saved embeddings;
        final BertLayer.Saved[] layers;
        final BertPooler.Saved[] pooler = new BertPooler.Saved[1];
        /** The last hidden state [tokens × hidden]. */
        public final float[] lastHidden;
        /** The pooler output [sequences × hidden], or null without a pooler. */
        public float[] pooled;

        Pass(TokenBatch batch, BertEmbeddings.Saved embeddings, BertLayer.Saved[] layers, float[] lastHidden) {
            this.batch = batch;
            this.embeddings = embeddings;
            this.layers = layers;
            this.lastHidden = lastHidden;
        }
    }

    private TrainableBert(BertConfig config, BertEmbeddings embeddings, BertLayer[] layers, BertPooler pooler,
                          int firstTrained) {
        this.config = config;
        this.embeddings = embeddings;
        this.layers = layers;
        this.pooler = pooler;
        this.firstTrained = firstTrained;
    }

    /**
     * Loads every tensor from a checkpoint as a trainable copy; the top {@code trainedLayers} encoder layers train
     * (and the pooler, when there is one), or everything, embeddings included, when it is {@code Integer.MAX_VALUE}.
     */
    public static TrainableBert load(Checkpoint checkpoint, BertConfig c, int trainedLayers) throws IOException {
        checkpoint.requireLayers(c.numHiddenLayers());
        BertLayer[] layers = new BertLayer[c.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = BertLayer.load(checkpoint, i, c);
        }
        int first = trainedLayers == Integer.MAX_VALUE ? -1 : Math.max(0, layers.length - trainedLayers);
        return new TrainableBert(c, BertEmbeddings.load(checkpoint, c), layers, BertPooler.loadIfPresent(checkpoint, c),
                first);
    }

    /** The trained tensors, embeddings first, then layer by layer, then the pooler. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        if (firstTrained < 0) {
            all.addAll(embeddings.parameters());
        }
        for (int i = Math.max(0, firstTrained); i < layers.length; i++) {
            all.addAll(layers[i].parameters());
        }
        if (pooler != null && firstTrained < layers.length) {
            all.addAll(pooler.parameters());
        }
        return all;
    }

    /** Every tensor, trained or not, under its Hugging Face name: what a saved model folder holds. */
    public List<Parameter> allTensors() {
        List<Parameter> all = new ArrayList<>(embeddings.parameters());
        for (BertLayer layer : layers) {
            all.addAll(layer.parameters());
        }
        if (pooler != null) {
            all.addAll(pooler.parameters());
        }
        return all;
    }

    /** Whether a pooler (pooler.dense.*) is part of the model. */
    public boolean hasPooler() {
        return pooler != null;
    }

    public BertConfig config() {
        return config;
    }

    /**
     * Runs the model; with a dropout {@code seed} in training mode (dropout as the config says, drawn from the seed),
     * with null in evaluation mode (no dropout). Keeps what the backward needs when {@code save}.
     */
    public Pass forward(Compute compute, TokenBatch batch, Long seed, boolean save) {
        int h = config.hiddenSize();
        int tokens = batch.totalTokens();
        float[] x = new float[tokens * h];
        BertEmbeddings.Saved e = embeddings.forward(compute, batch, x, seed, save && firstTrained < 0);
        BertLayer.Saved[] saved = new BertLayer.Saved[layers.length];
        for (int i = 0; i < layers.length; i++) {
            float[] next = new float[tokens * h];
            saved[i] = layers[i].forward(compute, batch, x, next, seed, save && i >= firstTrained);
            x = next;
        }
        Pass pass = new Pass(batch, e, saved, x);
        if (pooler != null) {
            pass.pooled = pooler.forward(compute, batch, x, pass.pooler);
        }
        return pass;
    }

    /**
     * Backpropagates dLastHidden [tokens × hidden] and dPooled [sequences × hidden] (either may be null) through the
     * trained layers, adding into their parameters' gradients. The arrays are used as scratch.
     */
    public void backward(Compute compute, Pass pass, float[] dLastHidden, float[] dPooled) {
        int h = config.hiddenSize();
        int tokens = pass.batch.totalTokens();
        float[] d = dLastHidden != null ? dLastHidden : new float[tokens * h];
        if (pooler != null && dPooled != null) {
            pooler.backward(compute, pass.pooler[0], pass.batch, dPooled, d);
        }
        for (int i = layers.length - 1; i >= Math.max(0, firstTrained); i--) {
            boolean inputNeeded = i > firstTrained;
            float[] dx = inputNeeded ? new float[tokens * h] : null;
            layers[i].backward(compute, pass.layers[i], pass.batch, d, dx);
            d = dx;
        }
        if (firstTrained < 0) {
            embeddings.backward(compute, pass.embeddings, pass.batch, d);
        }
    }
}
