package org.bert4j.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolingTest {

    // Two sequences packed: [1,2],[3,4],[5,6] and [7,8]
    private final BertOutput output = new BertOutput(new float[] {1, 2, 3, 4, 5, -6, 7, 8}, 2,
            new int[] {0, 3}, new int[] {3, 1}, null, null);

    @Test
    void clsTakesEachSequencesFirstToken() {
        assertArrayEquals(new float[] {1, 2}, Pooling.CLS.pool(output, 0));
        assertArrayEquals(new float[] {7, 8}, Pooling.CLS.pool(output, 1));
    }

    @Test
    void meanAveragesOnlyTheSequencesOwnTokens() {
        assertArrayEquals(new float[] {3, 0}, Pooling.MEAN.pool(output, 0));
        assertArrayEquals(new float[] {7, 8}, Pooling.MEAN.pool(output, 1));
    }

    @Test
    void maxIsElementWiseOverTheSequence() {
        assertArrayEquals(new float[] {5, 4}, Pooling.MAX.pool(output, 0));
    }

    @Test
    void normalizeGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = {3, 4};
        Pooling.normalize(v);
        assertArrayEquals(new float[] {0.6f, 0.8f}, v, 1e-7f);
        float[] zero = {0, 0};
        Pooling.normalize(zero);
        assertArrayEquals(new float[] {0, 0}, zero);
    }

    @Test
    void namesParseInAnyCase() {
        assertEquals(Pooling.MEAN, Pooling.fromName("Mean"));
        assertThrows(IllegalArgumentException.class, () -> Pooling.fromName("sum"));
    }

    @Test
    void readsTheModeFromSentenceTransformersPoolingConfig(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), Pooling.fromModelFolder(dir));
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false,
                 "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");
        assertEquals(Optional.of(Pooling.CLS), Pooling.fromModelFolder(dir));
    }

    @Test
    void unsupportedPoolingModeIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"pooling_mode_cls_token": false, "pooling_mode_mean_tokens": false, "pooling_mode_mean_sqrt_len_tokens": true}""");
        IOException e = assertThrows(IOException.class, () -> Pooling.fromModelFolder(dir));
        assertTrue(e.getMessage().contains("pooling_mode_mean_sqrt_len_tokens"), e.getMessage());
    }
}
