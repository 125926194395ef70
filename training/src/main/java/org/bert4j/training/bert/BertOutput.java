package org.bert4j.training.bert;

import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;

import java.io.IOException;

/**
 * The feed-forward block's output, trainable: LayerNorm(dropout(dense(intermediate)) + attention output)
 * ({@code modeling_bert.py} {@code BertOutput}): the same computation as {@link BertSelfOutput}, from the
 * intermediate width back to the hidden width.
 */
final class BertOutput {
    private BertOutput() {}

    static BertSelfOutput load(Checkpoint checkpoint, String prefix, BertConfig c) throws IOException {
        return BertSelfOutput.load(checkpoint, prefix, c.intermediateSize(), c);
    }
}
