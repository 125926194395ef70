package org.bert4j.convert.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bert4j.convert.ConversionException;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.FloatFormats;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch checkpoints written here byte by byte as torch.save lays them out, converted, and hostile ones refused. */
class TorchCheckpointTest {

    @TempDir
    Path tmp;

    /** A 1-layer BERT (hidden 4, 2 heads, intermediate 8, vocab 12, 6 positions) as name → [shape, values]. */
    private static Map<String, float[]> tinyBert(Map<String, long[]> shapes) {
        Map<String, float[]> params = new LinkedHashMap<>();
        Random random = new Random(11);
        java.util.function.BiConsumer<String, long[]> add = (name, shape) -> {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            params.put(name, v);
            shapes.put(name, shape);
        };
        add.accept("embeddings.word_embeddings.weight", new long[] {12, 4});
        add.accept("embeddings.position_embeddings.weight", new long[] {6, 4});
        add.accept("embeddings.token_type_embeddings.weight", new long[] {2, 4});
        add.accept("embeddings.LayerNorm.weight", new long[] {4});
        add.accept("embeddings.LayerNorm.bias", new long[] {4});
        String p = "encoder.layer.0.";
        for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
            add.accept(p + m + ".weight", new long[] {4, 4});
            add.accept(p + m + ".bias", new long[] {4});
        }
        add.accept(p + "attention.output.LayerNorm.weight", new long[] {4});
        add.accept(p + "attention.output.LayerNorm.bias", new long[] {4});
        add.accept(p + "intermediate.dense.weight", new long[] {8, 4});
        add.accept(p + "intermediate.dense.bias", new long[] {8});
        add.accept(p + "output.dense.weight", new long[] {4, 8});
        add.accept(p + "output.dense.bias", new long[] {4});
        add.accept(p + "output.LayerNorm.weight", new long[] {4});
        add.accept(p + "output.LayerNorm.bias", new long[] {4});
        add.accept("pooler.dense.weight", new long[] {4, 4});
        add.accept("pooler.dense.bias", new long[] {4});
        return params;
    }

    private static void writeFolderFiles(Path dir, boolean withHeads) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"bert\",\"hidden_size\":4,\"num_hidden_layers\":1,"
                + (withHeads ? "\"num_attention_heads\":2," : "") + "\"intermediate_size\":8,\"vocab_size\":12,"
                + "\"hidden_act\":\"gelu\",\"layer_norm_eps\":1e-12,\"max_position_embeddings\":6,\"type_vocab_size\":2}");
        Files.writeString(dir.resolve("tokenizer.json"), org.bert4j.convert.TinyBertFiles.tokenizerJson());
        Files.writeString(dir.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                + "{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}]");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\":4,\"pooling_mode_mean_tokens\":true}");
    }

    private static byte[] le(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void aStateDictWrittenLikeTorchSaveConvertsExactly() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> params = tinyBert(shapes);
        TorchSaveWriter w = new TorchSaveWriter();
        String query = "encoder.layer.0.attention.self.query.weight";
        String queryBias = "encoder.layer.0.attention.self.query.bias";
        String keyBias = "encoder.layer.0.attention.self.key.bias";
        for (Map.Entry<String, float[]> e : params.entrySet()) {
            String name = e.getKey();
            if (name.equals(query)) {
                // Stored as a transposed view: the storage holds Wᵀ, the tensor has stride [1, 4].
                float[] t = new float[16];
                for (int o = 0; o < 4; o++) {
                    for (int i = 0; i < 4; i++) {
                        t[i * 4 + o] = e.getValue()[o * 4 + i];
                    }
                }
                w.storage("view", "FloatStorage", le(t)).tensor("bert." + name, "view", 0, new long[] {4, 4}, new long[] {1, 4});
            } else if (name.equals(queryBias) || name.equals(keyBias)) {
                continue; // below: both biases share one storage
            } else {
                w.f32("bert." + name, shapes.get(name), e.getValue());
            }
        }
        float[] both = new float[9];
        System.arraycopy(params.get(queryBias), 0, both, 1, 4);
        System.arraycopy(params.get(keyBias), 0, both, 5, 4);
        w.storage("shared", "FloatStorage", le(both))
                .tensor("bert." + queryBias, "shared", 1, new long[] {4}, new long[] {1})
                .tensor("bert." + keyBias, "shared", 5, new long[] {4}, new long[] {1});
        ByteBuffer ids = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < 6; i++) {
            ids.putLong(i);
        }
        w.storage("ids", "LongStorage", ids.array()).tensor("bert.embeddings.position_ids", "ids", 0, new long[] {1, 6}, new long[] {6, 1});
        w.f32("classifier.weight", new long[] {3, 4}, new float[12]).f32("classifier.bias", new long[] {3}, new float[] {1, 2, 3});

        Path src = Files.createDirectories(tmp.resolve("hf"));
        w.write(src.resolve("pytorch_model.bin"));
        writeFolderFiles(src, true);
        Path out = ModelConverter.convert(src, tmp.resolve("out"), ConvertOptions.defaults());

        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (Map.Entry<String, float[]> e : params.entrySet()) {
                assertArrayEquals(shapes.get(e.getKey()), st.info(e.getKey()).shape(), e.getKey());
                assertArrayEquals(e.getValue(), st.readFloats(e.getKey()), e.getKey());
            }
            assertArrayEquals(new float[] {1, 2, 3}, st.readFloats("classifier.bias"), "other heads' tensors are kept");
            assertFalse(st.contains("embeddings.position_ids"), "the position_ids buffer is dropped");
            assertFalse(st.contains("bert.embeddings.word_embeddings.weight"), "the bert. prefix is dropped");
            assertEquals(params.size() + 2, st.tensors().size());
        }
        assertEquals(2, org.bert4j.convert.TinyBertFiles.json(out.resolve("config.json")).get("num_attention_heads").getAsInt());
        assertTrue(Files.readString(out.resolve("1_Pooling/config.json")).contains("pooling_mode_mean_tokens"));
        assertTrue(Files.isDirectory(out.resolve("2_Normalize")), "Normalize's (empty) folder exists even when git dropped it");
        assertEquals("[PAD]", Files.readAllLines(out.resolve("vocab.txt")).getFirst());
    }

    @Test
    void halfPrecisionIsKeptOrWidenedExactly() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> params = tinyBert(shapes);
        for (String type : List.of("HalfStorage", "BFloat16Storage")) {
            TorchSaveWriter w = new TorchSaveWriter();
            int k = 0;
            for (Map.Entry<String, float[]> e : params.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : e.getValue()) {
                    b.putShort(type.equals("HalfStorage") ? FloatFormats.floatToF16(v) : FloatFormats.floatToBf16(v));
                }
                String key = Integer.toString(k++);
                w.storage(key, type, b.array()).tensor(e.getKey(), key, 0, shapes.get(e.getKey()), TorchSaveWriter.contiguous(shapes.get(e.getKey())));
            }
            Path src = Files.createDirectories(tmp.resolve("hf-" + type));
            w.write(src.resolve("pytorch_model.bin"));
            writeFolderFiles(src, true);
            DType expected = type.equals("HalfStorage") ? DType.F16 : DType.BF16;
            Path kept = ModelConverter.convert(src, tmp.resolve("kept-" + type), ConvertOptions.defaults());
            Path widened = ModelConverter.convert(src, tmp.resolve("wide-" + type), ConvertOptions.defaults().withWidenToF32(true));
            try (SafetensorsFile a = SafetensorsFile.open(kept.resolve("model.safetensors"));
                 SafetensorsFile b = SafetensorsFile.open(widened.resolve("model.safetensors"))) {
                for (String name : params.keySet()) {
                    assertEquals(expected, a.info(name).dtype());
                    assertEquals(DType.F32, b.info(name).dtype());
                    assertArrayEquals(a.readFloats(name), b.readFloats(name), "widening is exact: " + name);
                }
            }
            // The widened folder converts again from safetensors with the same values (the HF-folder path).
            Path again = ModelConverter.convert(kept, tmp.resolve("again-" + type), ConvertOptions.defaults().withWidenToF32(true));
            try (SafetensorsFile a = SafetensorsFile.open(again.resolve("model.safetensors"));
                 SafetensorsFile b = SafetensorsFile.open(widened.resolve("model.safetensors"))) {
                for (String name : params.keySet()) {
                    assertArrayEquals(b.readFloats(name), a.readFloats(name), name);
                }
            }
        }
    }

    @Test
    void missingHeadsInConfigNeedTheFlag() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        TorchSaveWriter w = new TorchSaveWriter();
        tinyBert(shapes).forEach((name, v) -> w.f32(name, shapes.get(name), v));
        Path src = Files.createDirectories(tmp.resolve("hf"));
        w.write(src.resolve("pytorch_model.bin"));
        writeFolderFiles(src, false);
        ConversionException e = assertThrows(ConversionException.class, () -> ModelConverter.convert(src, tmp.resolve("o"), ConvertOptions.defaults()));
        assertTrue(e.getMessage().contains("--heads"), e.getMessage());
        Path out = ModelConverter.convert(src, tmp.resolve("o"), ConvertOptions.defaults().withNumAttentionHeads(2));
        assertEquals(2, org.bert4j.convert.TinyBertFiles.json(out.resolve("config.json")).get("num_attention_heads").getAsInt());
    }

    // ---- refusals ----

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A zip whose data.pkl is {@code pickle} and which has no tensor data at all. */
    private Path checkpointWithPickle(byte[] pickle) throws IOException {
        return new TorchSaveWriter().write(Files.createTempFile(tmp, "evil", ".bin"), pickle);
    }

    private ConversionException refused(byte[] pickle) throws IOException {
        Path file = checkpointWithPickle(pickle);
        ConversionException e = assertThrows(ConversionException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void forbiddenGlobalsAreRefusedBeforeAnythingIsEvaluated() throws IOException {
        // A state dict pickle, then a call the evaluator rejects (REDUCE of the integer 1), then the payload
        // os.system("echo pwned"). Had evaluation started before the check, the error would be about the integer call;
        // the first pass sees the global first.
        byte[] statePickle = new TorchSaveWriter().f32("w", new long[] {1}, new float[] {1}).pickle();
        byte[] body = java.util.Arrays.copyOf(statePickle, statePickle.length - 1); // drop STOP
        for (String[] global : new String[][] {{"os", "system"}, {"builtins", "eval"}, {"posix", "system"}, {"__builtin__", "eval"},
            {"subprocess", "Popen"}, {"torch", "load"}}) {
            byte[] payload = concat(body, ascii("K\u0001)R0c" + global[0] + "\n" + global[1] + "\n(X"), le32(10), ascii("echo pwnedtR."));
            ConversionException e = refused(payload);
            assertTrue(e.getMessage().contains(global[0] + "." + global[1]) && e.getMessage().contains("allow-list"), e.getMessage());
        }
        // Without the payload, the same file fails at the integer call: the control that shows evaluation did not run above.
        ConversionException control = refused(concat(body, ascii("K\u0001)R.")));
        assertTrue(control.getMessage().contains("only allowed globals may be called"), control.getMessage());
    }

    @Test
    void stackGlobalsAreCheckedToo() throws IOException {
        // Protocol 4 names the global with two strings and STACK_GLOBAL.
        byte[] pickle = concat(new byte[] {(byte) 0x80, 4, (byte) 0x8c, 2}, ascii("os"), new byte[] {(byte) 0x8c, 6}, ascii("system"),
                new byte[] {(byte) 0x93}, ascii("(X"), le32(2), ascii("lstR."));
        assertTrue(refused(pickle).getMessage().contains("os.system"));
    }

    @Test
    void opcodesAStateDictNeverUsesAreRefused() throws IOException {
        assertTrue(refused(ascii("(ios\nsystem\n.")).getMessage().contains("opcode 0x69"), "INST");
        assertTrue(refused(concat(new byte[] {(byte) 0x80, 2}, ascii("]K\u0001\u0081."))).getMessage().contains("opcode 0x81"), "NEWOBJ");
        assertTrue(refused(ascii("K\u0001K\u0002R.")).getMessage().contains("only allowed globals may be called"), "REDUCE of a non-global");
    }

    @Test
    void truncatedAndMalformedPicklesAreRefused() throws IOException {
        byte[] good = new TorchSaveWriter().f32("w", new long[] {1}, new float[] {1}).pickle();
        assertTrue(refused(java.util.Arrays.copyOf(good, good.length / 2)).getMessage().contains("truncated"));
        assertTrue(refused(ascii("X\u00ff\u00ff\u00ff\u007f.")).getMessage().contains("runs past the end"));
        assertTrue(refused(ascii("h\u0005.")).getMessage().contains("memo"));
        assertTrue(refused(ascii("t.")).getMessage().contains("MARK"));
    }

    @Test
    void aDictKeyThatIsNotANameIsRefused() throws IOException {
        // A list that holds itself (through the memo) as a dict key: its hashCode recursed until the stack overflowed.
        assertTrue(refused(ascii("\u0080\u0002}]q\u0000h\u0000a0h\u0000K\u0001s.")).getMessage()
                .contains("a dict key is ArrayList"));
        assertTrue(refused(ascii("}(]K\u0001u.")).getMessage().contains("a dict key is ArrayList"), "SETITEMS too");
    }

    @Test
    void aStorageWhoseSizeOverflowsIsRefused() throws IOException {
        // numel 2^62 FloatStorage: numel × 4 wraps to 0, the size of the (empty) storage entry; the copy then ran past it.
        byte[] pickle = concat(ascii("\u0080\u0002}(X"), le32(1), ascii("wctorch._utils\n_rebuild_tensor_v2\n((X"), le32(7),
                ascii("storagectorch\nFloatStorage\nX"), le32(1), ascii("0X"), le32(3), ascii("cpu\u008a\u0008"),
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0x40}, ascii("tQK\u0000K\u0001\u0085K\u0001\u0085\u0089}tRu."));
        Path file = new TorchSaveWriter().storage("0", "FloatStorage", new byte[0]).write(tmp.resolve("overflow.bin"), pickle);
        ConversionException e = assertThrows(ConversionException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("storage 0 declares 4611686018427387904 elements"), e.getMessage());
    }

    @Test
    void aStorageEntryThatInflatesPastItsDeclaredSizeIsRefusedBeforeItIsRead() throws IOException {
        // A 64 MiB run of zeros deflates to about 64 KiB; the pickle says the storage holds 4 floats (16 bytes).
        // Reading the whole entry first would allocate whatever the archive inflates to: gigabytes, for a larger bomb.
        byte[] pickle = new TorchSaveWriter().f32("w", new long[] {4}, new float[4]).pickle();
        Path file = tmp.resolve("bomb.bin");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data/0")); // DEFLATED, as torch.save never writes
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertTrue(Files.size(file) < 1 << 18, "the bomb itself is small: " + Files.size(file));
        ConversionException e = assertThrows(ConversionException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("archive entry archive/data/0 holds more than the 16 bytes it may have"), e.getMessage());
    }

    @Test
    void legacyTorchScriptAndNonZipFilesAreRefusedClearly() throws IOException {
        Path legacy = Files.write(tmp.resolve("legacy.bin"), concat(new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc,
            (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19}, new byte[64]));
        assertTrue(assertThrows(ConversionException.class, () -> TorchCheckpoint.read(legacy)).getMessage().contains("legacy"));
        Path text = Files.writeString(tmp.resolve("text.bin"), "hello");
        assertTrue(assertThrows(ConversionException.class, () -> TorchCheckpoint.read(text)).getMessage().contains("zip"));
        Path script = tmp.resolve("script.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(script))) {
            for (String name : List.of("archive/data.pkl", "archive/constants.pkl", "archive/code/")) {
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                zip.closeEntry();
            }
        }
        assertTrue(assertThrows(ConversionException.class, () -> TorchCheckpoint.read(script)).getMessage().contains("TorchScript"));
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() throws IOException {
        Path file = new TorchSaveWriter().storage("0", "FloatStorage", new byte[16])
                .tensor("w", "0", 2, new long[] {4}, new long[] {1}).write(tmp.resolve("oob.bin"));
        ConversionException e = assertThrows(ConversionException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("reaches element"), e.getMessage());
    }

    @Test
    void bfloat16SafetensorsFolderWidensToF32() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> params = tinyBert(shapes);
        Path src = Files.createDirectories(tmp.resolve("st"));
        List<Tensor> tensors = new java.util.ArrayList<>();
        params.forEach((name, v) -> tensors.add(Tensor.bf16(name, shapes.get(name), v)));
        SafetensorsWriter.write(src.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        writeFolderFiles(src, true);
        Path out = ModelConverter.convert(src, tmp.resolve("out"), ConvertOptions.defaults().withWidenToF32(true));
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (Map.Entry<String, float[]> e : params.entrySet()) {
                float[] got = st.readFloats(e.getKey());
                for (int i = 0; i < got.length; i++) {
                    assertEquals(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(e.getValue()[i])), got[i]);
                }
            }
        }
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
