package org.bert4j.bench.model;

import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.folder.Pooling;
import org.bert4j.engine.TokenBatch;

/** bert4j's side of every model comparison: the forward pass and the seed's mean pooling, as onnxruntime's side. */
final class MeanPooled {
    private MeanPooled() {}

    static float[][] of(BertModel model, TokenBatch batch) {
        BertModelOutput out = model.forward(batch);
        float[][] pooled = new float[out.size()][];
        for (int s = 0; s < pooled.length; s++) {
            pooled[s] = out.pool(Pooling.MEAN, s);
        }
        return pooled;
    }
}
