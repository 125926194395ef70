package org.bert4j.convert.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.convert.ConversionException;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;
import org.bert4j.convert.TinyBertFiles;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.Tensor;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made by real PyTorch 2.13 (test resources under {@code torch/}, generated once outside the build, since
 * no torch is available to the tests): a tiny BERT state dict with a transposed view, two biases sharing one
 * storage, F16/BF16 tensors and a position_ids buffer; the values torch held, written with Hugging Face's
 * safetensors as the expectation; a legacy-format file; and a pickle that calls {@code os.system} when loaded.
 */
class RealTorchFilesTest {

    @TempDir
    Path tmp;

    private static Path resource(String name) throws Exception {
        return Path.of(RealTorchFilesTest.class.getResource("/torch/" + name).toURI());
    }

    @Test
    void aStateDictSavedByTorchReadsBackExactly() throws Exception {
        Map<String, Tensor> ours = new LinkedHashMap<>();
        for (Tensor t : TorchCheckpoint.read(resource("tiny_bert_torch_2_13.bin"))) {
            ours.put(t.name(), t);
        }
        try (SafetensorsFile expected = SafetensorsFile.open(resource("tiny_bert_expected.safetensors"))) {
            assertEquals(expected.tensors().size(), ours.size());
            for (TensorInfo e : expected.tensors()) {
                Tensor t = ours.get(e.name());
                assertArrayEquals(e.shape(), t.shape(), e.name());
                if (e.dtype() == DType.I64) {
                    assertEquals(-1, t.data().mismatch(expected.segment(e.name())), e.name());
                    continue;
                }
                float[] want = expected.readFloats(e.name());
                float[] got = widen(t);
                assertArrayEquals(want, got, e.name());
            }
        }
        assertEquals(DType.F16, ours.get("classifier.weight").dtype());
        assertEquals(DType.BF16, ours.get("classifier.bias").dtype());
    }

    private static float[] widen(Tensor t) {
        int n = (int) t.elementCount();
        float[] out = new float[n];
        var i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        var f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dtype()) {
                case F32 -> t.data().getAtIndex(f32, i);
                case F16 -> org.bert4j.safetensors.FloatFormats.f16ToFloat(t.data().getAtIndex(i16, i));
                case BF16 -> org.bert4j.safetensors.FloatFormats.bf16ToFloat(t.data().getAtIndex(i16, i));
                default -> throw new AssertionError(t.dtype());
            };
        }
        return out;
    }

    @Test
    void aFolderAroundTheRealCheckpointConvertsToBertModelNames() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("hf"));
        Files.copy(resource("tiny_bert_torch_2_13.bin"), src.resolve("pytorch_model.bin"));
        Files.writeString(src.resolve("config.json"), "{\"model_type\":\"bert\",\"hidden_size\":4,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"intermediate_size\":8,\"vocab_size\":12,\"max_position_embeddings\":6,\"type_vocab_size\":2}");
        Files.writeString(src.resolve("tokenizer.json"), TinyBertFiles.tokenizerJson());
        Path out = ModelConverter.convert(src, tmp.resolve("out"), ConvertOptions.defaults().withWidenToF32(true));
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"));
             SafetensorsFile expected = SafetensorsFile.open(resource("tiny_bert_expected.safetensors"))) {
            for (TensorInfo e : expected.tensors()) {
                if (e.name().equals("bert.embeddings.position_ids")) {
                    assertFalse(st.contains("embeddings.position_ids"));
                    continue;
                }
                String name = e.name().replaceFirst("^bert\\.", "");
                assertEquals(DType.F32, st.info(name).dtype(), name);
                assertArrayEquals(expected.readFloats(e.name()), st.readFloats(name), name);
            }
            assertEquals(List.of(), st.tensors().stream().map(TensorInfo::name).filter(n -> n.startsWith("bert.")).toList());
        }
    }

    @Test
    void theLegacyFormatIsRefusedClearly() throws Exception {
        Path legacy = resource("legacy_format.bin");
        ConversionException e = assertThrows(ConversionException.class, () -> TorchCheckpoint.read(legacy));
        assertTrue(e.getMessage().contains("legacy") && e.getMessage().contains(legacy.toString()), e.getMessage());
    }

    @Test
    void aPickleThatWouldRunACommandIsRefused() throws Exception {
        Path evil = resource("evil_os_system.bin");
        ConversionException e = assertThrows(ConversionException.class, () -> TorchCheckpoint.read(evil));
        assertTrue(e.getMessage().contains("posix.system") && e.getMessage().contains("allow-list"), e.getMessage());
    }
}
