package org.bert4j.heads.train;

/** Features computed once with the backbone frozen, replayed every epoch: an epoch costs only the heads. */
public final class CachedFeatures implements FeatureSource {

    private final TaskFeatures features;

    /** Wraps precomputed features. */
    public CachedFeatures(TaskFeatures features) {
        this.features = features;
    }

    @Override
    public Batch batch(int[] examples) {
        int rows = 0;
        for (int e : examples) {
            rows += features.targets()[e].length;
        }
        int width = features.width();
        float[] inputs = new float[rows * width];
        int[] targets = new int[rows];
        int at = 0;
        for (int e : examples) {
            int[] t = features.targets()[e];
            System.arraycopy(features.inputs()[e], 0, inputs, at * width, t.length * width);
            System.arraycopy(t, 0, targets, at, t.length);
            at += t.length;
        }
        return new Batch(inputs, rows, targets);
    }

    /** The cached features. */
    public TaskFeatures features() {
        return features;
    }
}
