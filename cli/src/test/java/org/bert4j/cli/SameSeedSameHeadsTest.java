package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's claim that the same seed trains the same heads, bit for bit, checked where it can fail: three separate
 * JVMs train on the seed's CSV and the default model, one computing the backbone features into an empty cache, one
 * reading them back from it, one with the cache off. All three write the same heads.safetensors and heads.json bytes.
 */
class SameSeedSameHeadsTest {
    @TempDir
    Path dir;

    Path train(String name, String featureCache) throws Exception {
        Path out = dir.resolve(name);
        Path seedCsv = Path.of(System.getProperty("bert4j.sharedData"), "annotated_w_quotes.csv");
        Process child = ChildCli.command(List.of("-Xmx1g"), List.of("train", "--data", seedCsv.toString(), "--label-column",
                        "category", "--ner-column", "annotations", "--epochs", "8", "--seed", "7", "--feature-cache", featureCache,
                        "--out", out.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve(name + ".err").toFile()).start();
        assertTrue(child.waitFor(4, TimeUnit.MINUTES), name + " did not finish");
        assertEquals(0, child.exitValue(), name + ": " + Files.readString(dir.resolve(name + ".err")));
        return out;
    }

    static List<String> files(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void coldCacheWarmCacheAndNoCacheTrainTheSameBytes() throws Exception {
        Path cache = dir.resolve("features");
        Path cold = train("cold", cache.toString());
        List<String> cached = files(cache);
        assertEquals(4, cached.size(), "the cold run cached both heads' train and dev features: " + cached);
        Path warm = train("warm", cache.toString());
        assertEquals(cached, files(cache), "the warm run found them all (another JVM computed the same keys)");
        Path none = train("none", "none");
        for (String file : List.of("heads.safetensors", "heads.json")) {
            byte[] expected = Files.readAllBytes(cold.resolve(file));
            assertArrayEquals(expected, Files.readAllBytes(warm.resolve(file)), file + ": warm cache vs cold cache");
            assertArrayEquals(expected, Files.readAllBytes(none.resolve(file)), file + ": no cache vs cold cache");
        }
    }
}
