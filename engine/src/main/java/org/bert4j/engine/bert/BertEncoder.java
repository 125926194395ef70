package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.TokenBatch;

import java.io.IOException;
import java.util.List;

/** The stack of {@code num_hidden_layers} encoder layers ({@code modeling_bert.py} {@code BertEncoder}). */
public final class BertEncoder {

    private final BertLayer[] layers;

    private BertEncoder(BertLayer[] layers) {
        this.layers = layers;
    }

    /** Loads every {@code encoder.layer.<i>}; the checkpoint must hold exactly {@code num_hidden_layers} of them. */
    public static BertEncoder load(Checkpoint checkpoint, BertConfig c, Compute compute) throws IOException {
        checkpoint.requireLayers(c.numHiddenLayers());
        BertLayer[] layers = new BertLayer[c.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = BertLayer.load(checkpoint, i, c, compute);
        }
        return new BertEncoder(layers);
    }

    /**
     * Runs every layer over ws.hidden in place; when {@code hiddenStates} is not null, appends a copy of each layer's
     * output to it (after the embeddings output the caller added), as HF's {@code output_hidden_states} does.
     */
    public void forward(TokenBatch batch, Workspace ws, List<float[]> hiddenStates) {
        for (BertLayer layer : layers) {
            layer.forward(batch, ws);
            if (hiddenStates != null) {
                hiddenStates.add(ws.hidden.clone());
            }
        }
    }
}
