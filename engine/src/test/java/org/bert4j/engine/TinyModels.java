package org.bert4j.engine;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.bert.RandomCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small random BERTs for tests that need a model folder but not a pretrained one. */
final class TinyModels {

    private TinyModels() {
    }

    /** 2 layers, hidden 32, 4 heads, FFN 64, vocabulary 100; weights large enough that attention is far from uniform. */
    static BertConfig config() {
        return BertConfig.of(100, 32, 2, 4, 64);
    }

    static Path write(Path dir, BertConfig config, boolean pooler) throws IOException {
        return RandomCheckpoint.write(dir, config, 42, 0.2, pooler);
    }

    /** {@code count} sequences of random ids, lengths 1 to maxLength. */
    static int[][] randomSequences(long seed, int count, int maxLength, int vocab) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] ids = new int[count][];
        for (int s = 0; s < count; s++) {
            ids[s] = new int[1 + r.nextInt(maxLength)];
            for (int t = 0; t < ids[s].length; t++) {
                ids[s][t] = r.nextInt(vocab);
            }
        }
        return ids;
    }
}
