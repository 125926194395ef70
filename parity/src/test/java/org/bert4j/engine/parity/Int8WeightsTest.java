package org.bert4j.engine.parity;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.convert.BundledModels;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.engine.TokenBatch;
import org.bert4j.folder.Int8Weight;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 with int8 weights (quantized at load, or stored so by {@code convert --quantize int8}) against
 * its FP32 self, on the news texts.
 *
 * <p>The quality goals are the (19), set from onnxruntime's int8 model of the same network (mean cosine to
 * FP32 0.9895, minimum 0.977 there): weight-only int8, with activations kept in FP32, should do clearly better, as
 * each weight is off by at most half a step of its row's scale (|w| max / 254) and nothing else is rounded.
 */
class Int8WeightsTest {

    /** The goals: sentence embeddings' cosine to FP32, mean and worst, and the rank agreement of similarities. */
    private static final double MEAN_COSINE = 0.995;
    private static final double MIN_COSINE = 0.98;
    private static final double SPEARMAN = 0.995;
    private static final int TEXTS = 400;
    private static final int PAIRS = 1000;

    /** News texts as the seed notebook builds them (headline, a space, the description), past ParityCorpus's rows. */
    static List<String> newsTexts(int count) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(ParityCorpus.sharedData().resolve("news_category_first8000.jsonl"),
                StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject row = JsonParser.parseString(line).getAsJsonObject();
            texts.add(row.get("headline").getAsString() + " " + row.get("short_description").getAsString());
            if (texts.size() == 1000 + count) {
                break;
            }
        }
        return texts.subList(1000, texts.size());
    }

    @Test
    void int8WeightsEmbedNewsTextsAlmostExactlyAsFp32() throws Exception {
        Path dir = BundledModels.defaultModel();
        List<String> texts = newsTexts(TEXTS);
        float[][] fp32;
        float[][] int8;
        EncoderOptions options = EncoderOptions.defaults().withEngine(EngineOptions.defaults().withThreads(2));
        try (SentenceEncoder f = SentenceEncoder.load(dir, options.withEngine(options.engine().withQuantize("none")));
             SentenceEncoder q = SentenceEncoder.load(dir, options.withEngine(options.engine().withQuantize("int8")))) {
            assertEquals("fp32", f.model().weights());
            assertEquals("int8", q.model().weights());
            fp32 = f.encode(texts);
            int8 = q.encode(texts);
        }
        double sum = 0;
        double min = 1;
        for (int i = 0; i < texts.size(); i++) {
            double c = OnnxParityTest.cosine(fp32[i], int8[i]);
            sum += c;
            min = Math.min(min, c);
        }
        SplittableRandom random = new SplittableRandom(19);
        double[] similarityFp32 = new double[PAIRS];
        double[] similarityInt8 = new double[PAIRS];
        for (int p = 0; p < PAIRS; p++) {
            int a = random.nextInt(texts.size());
            int b = (a + 1 + random.nextInt(texts.size() - 1)) % texts.size();
            similarityFp32[p] = OnnxParityTest.cosine(fp32[a], fp32[b]);
            similarityInt8[p] = OnnxParityTest.cosine(int8[a], int8[b]);
        }
        double spearman = spearman(similarityFp32, similarityInt8);
        System.out.printf("int8 weights, %d news texts: cosine to FP32 mean %.5f min %.5f; Spearman of %d pairs'"
                + " similarities %.5f%n", texts.size(), sum / texts.size(), min, PAIRS, spearman);
        assertTrue(sum / texts.size() >= MEAN_COSINE, "mean cosine to FP32 " + sum / texts.size());
        assertTrue(min >= MIN_COSINE, "min cosine to FP32 " + min);
        assertTrue(spearman >= SPEARMAN, "Spearman of FP32 vs int8 similarities " + spearman);
    }

    @TempDir
    Path tmp;

    /**
     * {@code convert --quantize int8} stores exactly what quantizing at load computes (the same {@link Int8Weight}
     * rounding), so the folder runs int8 by default with the same outputs, bit for bit; told {@code none}, it runs
     * FP32 on the widened weights, which the Java GEMM multiplies exactly as it multiplies int8 ones.
     */
    @Test
    void aFolderConvertedToInt8RunsInt8AndMatchesQuantizingAtLoad() throws Exception {
        Path fp32Dir = BundledModels.defaultModel();
        Path int8Dir = ModelConverter.convert(fp32Dir, tmp.resolve("minilm-int8"),
                ConvertOptions.defaults().withInt8(true));
        int i8 = 0;
        int scales = 0;
        try (SafetensorsFile file = SafetensorsFile.open(int8Dir.resolve("model.safetensors"))) {
            for (TensorInfo t : file.tensors()) {
                if (t.dtype() == DType.I8) {
                    i8++;
                    assertTrue(Int8Weight.isQuantized(t.name()), t.name());
                    assertTrue(file.contains(Int8Weight.scaleName(t.name())), t.name());
                } else if (t.name().endsWith(Int8Weight.SCALE_SUFFIX)) {
                    scales++;
                }
            }
        }
        assertEquals(6 * 6, i8, "six Linear weights in each of the six layers");
        assertEquals(i8, scales);
        long fp32Bytes = Files.size(fp32Dir.resolve("model.safetensors"));
        long int8Bytes = Files.size(int8Dir.resolve("model.safetensors"));
        assertTrue(int8Bytes < fp32Bytes - 30_000_000L, "the encoder's 42.5 MB of Linear weights shrink by 3/4: "
                + fp32Bytes + " -> " + int8Bytes);

        TokenBatch batch = TokenBatch.of(new int[][] {{101, 7592, 1010, 2088, 999, 102}, {101, 2023, 2003, 102}}, null);
        EngineOptions java = EngineOptions.defaults().withThreads(2).withGemm("java");
        try (BertModel stored = BertModel.load(int8Dir, java);
             BertModel atLoad = BertModel.load(fp32Dir, java.withQuantize("int8"));
             BertModel widened = BertModel.load(int8Dir, java.withQuantize("none"))) {
            assertEquals("int8", stored.weights(), "an int8 folder runs int8 by default");
            assertEquals("fp32", widened.weights());
            float[] expected = atLoad.forward(batch).lastHidden();
            assertArrayEquals(expected, stored.forward(batch).lastHidden());
            assertArrayEquals(expected, widened.forward(batch).lastHidden());
        }
    }

    /** Spearman's rank correlation: Pearson's of the ranks (ties get their mean rank). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0);
        double my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] ranks = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return ranks;
    }

    @Test
    void spearmanIsOneForTheSameOrderAndMinusOneForTheReverse() {
        assertEquals(1, spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 25, 100}), 1e-12);
        assertEquals(-1, spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
        assertEquals(0.8, spearman(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-12);
    }
}
