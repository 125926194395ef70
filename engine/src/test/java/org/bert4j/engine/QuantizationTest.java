package org.bert4j.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * int8 / uint8 / binary / ubinary output equals sentence-transformers' {@code quantize_embeddings} byte for byte.
 * The expected arrays were computed by its formula in NumPy 2.4, in float32 arithmetic
 * ({@code scripts/oracles/quantize_embeddings.py} prints them), on random vectors with a constant dimension and an
 * exact 0, and with ranges from a calibration sample.
 */
class QuantizationTest {

    private static final float[][] EMB = {
        {-0.05947237089276314f, 0.06307835131883621f, 0.10393541306257248f, 0.25f, 0.18178461492061615f, -0.038518939167261124f, 0.05441771820187569f, -0.03662216663360596f, -0.1424848586320877f, -0.07038591057062149f, 0.013616234064102173f},
        {-0.09151747077703476f, -0.019147101789712906f, 0.11202500760555267f, 0.25f, 0.05723436549305916f, 0.034512244164943695f, -0.01752757839858532f, -0.18677428364753723f, 0.09914585947990417f, -0.1506660133600235f, 0.0216085035353899f},
        {-0.010839172638952732f, 0.013727243058383465f, 0.02523367665708065f, 0.25f, 0.09009835124015808f, 0.0f, 0.0791904553771019f, -0.16919469833374023f, 0.11863323301076889f, -0.0508967787027359f, 0.037405241280794144f},
        {0.1508055329322815f, -0.21626824140548706f, -0.03146281838417053f, 0.25f, 0.08992781490087509f, 0.13582785427570343f, 0.06061457470059395f, 0.051413603127002716f, 0.010633796453475952f, 0.02655657008290291f, 0.007098076865077019f},
        {0.09918099641799927f, 0.015933383256196976f, 0.06688719987869263f, 0.25f, 0.11701846867799759f, -0.034412484616041183f, -0.010342659428715706f, 0.07348237186670303f, -0.06423035264015198f, -0.18309186398983002f, -0.10114344954490662f},
    };
    private static final int[][] INT8 = {
        {-95, 127, 112, -128, 127, -128, 61, 19, -128, 9, 83},
        {-128, 51, 127, -128, -128, -22, -128, -128, 107, -89, 97},
        {-44, 81, -28, -128, -61, -72, 127, -111, 127, 32, 127},
        {127, -128, -128, -128, -62, 127, 78, 105, 21, 127, 71},
        {72, 83, 46, -128, -6, -122, -110, 127, -52, -128, -128},
    };
    private static final int[][] UINT8 = {
        {33, 255, 240, 0, 255, 0, 189, 147, 0, 137, 211},
        {0, 179, 255, 0, 0, 106, 0, 0, 235, 39, 225},
        {84, 209, 100, 0, 67, 56, 255, 17, 255, 160, 255},
        {255, 0, 0, 0, 66, 255, 206, 233, 149, 255, 199},
        {200, 211, 174, 0, 122, 6, 18, 255, 76, 0, 0},
    };
    private static final int[][] BINARY = {
        {-6, -96},
        {-68, 32},
        {-6, 32},
        {31, 96},
        {121, -128},
    };
    private static final int[][] UBINARY = {
        {122, 32},
        {60, 160},
        {122, 160},
        {159, 224},
        {249, 0},
    };
    private static final float[][] CAL = {
        {0.026932835578918457f, -0.010553028434515f, -0.01784569025039673f, 0.03735344111919403f, -0.052584875375032425f, 0.11322524398565292f, 0.001151877804659307f, -0.0162089504301548f, 0.1018495038151741f, -0.05445094779133797f, -0.024864140897989273f},
        {-0.004472307860851288f, -0.04801439493894577f, -0.017005687579512596f, 0.029131146147847176f, 0.008469115011394024f, -0.002426416613161564f, 0.049412526190280914f, 0.09432856738567352f, 0.07817336916923523f, -0.10466790944337845f, 0.06855246424674988f},
        {0.038786210119724274f, 0.02039971761405468f, -0.049158718436956406f, -0.022597532719373703f, -0.010481815785169601f, -0.06963182985782623f, 0.06170889735221863f, 0.044533029198646545f, -0.0006674620090052485f, -0.047400832176208496f, 0.06729339063167572f},
        {0.032049622386693954f, 0.0531599335372448f, -0.020929401740431786f, 0.11978988349437714f, -0.006942456588149071f, 0.09773772209882736f, -0.10024567693471909f, 0.015415049158036709f, 0.004127106163650751f, -0.1260857731103897f, -0.032255642116069794f},
        {-0.06126827746629715f, -0.07033424824476242f, -0.037690285593271255f, -0.058520376682281494f, 0.016276083886623383f, 0.02324090339243412f, 0.013432005420327187f, -0.041445158421993256f, -0.0241120345890522f, 0.08391887694597244f, -0.017235564067959785f},
        {-0.001039249007590115f, -0.029387572780251503f, 0.026372378692030907f, 0.044266536831855774f, 0.03977916017174721f, 0.02128901518881321f, 0.035521499812603f, -0.010659709572792053f, 0.0310579352080822f, -0.04946674406528473f, 0.005047477316111326f},
        {0.04324720799922943f, -0.05077333375811577f, 0.03894500806927681f, 0.01587817072868347f, -0.06125890836119652f, -0.0851535052061081f, -0.08261822164058685f, -0.05230370908975601f, 0.015941783785820007f, 0.012379133142530918f, 0.061413027346134186f},
    };
    private static final int[][] UINT8_CAL = {
        {4, 255, 255, 255, 255, 59, 243, 27, 0, 67, 116},
        {0, 105, 255, 255, 255, 153, 130, 0, 249, 0, 136},
        {123, 173, 215, 255, 255, 109, 255, 0, 255, 91, 176},
        {255, 0, 51, 255, 255, 255, 253, 180, 70, 185, 99},
        {255, 178, 255, 255, 255, 65, 141, 218, 0, 0, 0},
    };

    @Test
    void int8AndUint8TakeTheirRangesFromTheBatchAsNumpyDoes() {
        assertValues(INT8, Quantization.quantize(EMB, Precision.INT8));
        assertValues(UINT8, Quantization.quantize(EMB, Precision.UINT8));
    }

    @Test
    void calibrationRangesClipValuesOutsideThem() {
        assertValues(UINT8_CAL, Quantization.quantize(EMB, Precision.UINT8, Calibration.of(CAL)));
    }

    @Test
    void signsArePackedHighBitFirstAndBinaryIsTheByteMinus128() {
        assertValues(BINARY, Quantization.quantize(EMB, Precision.BINARY));
        assertValues(UBINARY, Quantization.quantize(EMB, Precision.UBINARY));
        // By hand: signs 1 0 1 0 0 0 0 1 | 1 (0 is not above 0) give 0b10100001 = 161 and 0b10000000 = 128, the
        // unused bits of the last byte zero; binary stores 161 - 128 = 33 and 128 - 128 = 0.
        float[][] v = {{1, -1, 1, -1, 0, 0, -0f, 1, 2}};
        assertValues(new int[][] {{161, 128}}, Quantization.quantize(v, Precision.UBINARY));
        assertValues(new int[][] {{33, 0}}, Quantization.quantize(v, Precision.BINARY));
    }

    @Test
    void bucketsAreComputedInFloat32LikeNumpyNotExactly() {
        // Range [0, 1]: step = 1/255 rounded to float32. In exact arithmetic 0.02745098 (7/255 rounded) and 1 fall in
        // buckets 7 and 255; float32 division puts them in 6 and 254, and NumPy (hence sentence-transformers) agrees.
        float[][] v = {{0f}, {0.02745098f}, {1f}};
        assertValues(new int[][] {{0}, {6}, {254}}, Quantization.quantize(v, Precision.UINT8));
        assertValues(new int[][] {{-128}, {-122}, {126}}, Quantization.quantize(v, Precision.INT8));
    }

    @Test
    void aDimensionWithAnEmptyRangeFallsInTheFirstBucket() {
        float[][] one = {{0.5f, -2f}};
        assertValues(new int[][] {{0, 0}}, Quantization.quantize(one, Precision.UINT8));
        assertValues(new int[][] {{-128, -128}}, Quantization.quantize(one, Precision.INT8));
    }

    @Test
    void shapesAndMistakes() {
        QuantizedEmbeddings none = Quantization.quantize(new float[0][], Precision.INT8);
        assertEquals(0, none.size());
        QuantizedEmbeddings packed = Quantization.quantize(EMB, Precision.UBINARY);
        assertEquals(2, packed.width());
        assertEquals(11, packed.dimension());
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(EMB, Precision.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(new float[][] {{1, 2}, {3}}, Precision.INT8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantization.quantize(EMB, Precision.UINT8, new Calibration(new float[3], new float[3])));
        assertEquals("calibration has 3 dimensions, the embeddings 11", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Calibration(new float[] {1}, new float[] {0}));
        assertEquals(Precision.UBINARY, Precision.fromName(" UBinary "));
        assertThrows(IllegalArgumentException.class, () -> Precision.fromName("int4"));
    }

    private static void assertValues(int[][] expected, QuantizedEmbeddings actual) {
        assertEquals(expected.length, actual.size());
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual.values(r), actual.precision().label() + " row " + r);
        }
    }
}
