package org.bert4j.heads.train;

import org.bert4j.heads.Backbone;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.TokenClassificationHead;
import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A folder of computed features, one safetensors file per (code, backbone, max length, head shape, examples)
 * combination, named by the SHA-256 of all of those, so a rerun on the same data skips the backbone entirely. Anything
 * that changes the features changes the name: the code by its {@link CodeFingerprint} (the contents of the engine,
 * tokenizer and feature-extraction classes: a changed engine is never served the old engine's features), the backbone
 * by its {@link Backbone#featureKey()} (a model folder's files, not only its path); a file that fails to read is
 * recomputed.
 */
public final class FeatureStore {

    private final Path folder;
    private final String code;

    /** A store in {@code folder} (created when first written). */
    public FeatureStore(Path folder) {
        this(folder, CodeFingerprint.current());
    }

    /** A store whose keys name {@code code} as the code computing the features (tests stand in another build). */
    FeatureStore(Path folder, String code) {
        this.folder = folder;
        this.code = code;
    }

    /** The cached features, or null when there are none (or they are unreadable). */
    TaskFeatures read(Backbone backbone, FeatureExtractor.Request request) {
        List<Example> examples = request.examples();
        Path file = file(backbone, request);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            int[] counts = ints(st, "rows_per_example");
            float[] all = st.readFloats("inputs");
            int[] allTargets = ints(st, "targets");
            int width = backbone.hiddenSize();
            if (counts.length != examples.size()) {
                return null;
            }
            float[][] inputs = new float[counts.length][];
            int[][] targets = new int[counts.length][];
            int row = 0;
            for (int e = 0; e < counts.length; e++) {
                inputs[e] = java.util.Arrays.copyOfRange(all, row * width, (row + counts[e]) * width);
                targets[e] = java.util.Arrays.copyOfRange(allTargets, row, row + counts[e]);
                row += counts[e];
            }
            return new TaskFeatures(width, inputs, targets);
        } catch (IOException | RuntimeException e) {
            return null; // a damaged cache entry is only a miss
        }
    }

    void write(Backbone backbone, FeatureExtractor.Request request, TaskFeatures features) throws IOException {
        Head head = request.head();
        Files.createDirectories(folder);
        int rows = features.rows();
        int width = features.width();
        float[] all = new float[rows * width];
        int[] allTargets = new int[rows];
        int[] counts = new int[features.size()];
        int row = 0;
        for (int e = 0; e < features.size(); e++) {
            counts[e] = features.targets()[e].length;
            System.arraycopy(features.inputs()[e], 0, all, row * width, counts[e] * width);
            System.arraycopy(features.targets()[e], 0, allTargets, row, counts[e]);
            row += counts[e];
        }
        Path file = file(backbone, request);
        Path tmp = Files.createTempFile(folder, "features", ".tmp");
        SafetensorsWriter.write(tmp, List.of(Tensor.f32("inputs", new long[] {rows, width}, all),
                        Tensor.i32("targets", new long[] {rows}, allTargets),
                        Tensor.i32("rows_per_example", new long[] {counts.length}, counts)),
                Map.of("backbone", backbone.reference(), "head", head.name()));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int[] ints(SafetensorsFile st, String name) throws IOException {
        java.lang.foreign.MemorySegment segment = st.segment(name);
        return segment.toArray(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    private Path file(Backbone backbone, FeatureExtractor.Request request) {
        Head head = request.head();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, code);   // the code that computed them, by content: no version to bump by hand
            update(digest, backbone.featureKey()); // not only the reference: a folder path may hold another model later
            update(digest, Integer.toString(backbone.maxLength()));
            update(digest, Integer.toString(backbone.hiddenSize()));
            update(digest, head.kind().id());
            update(digest, String.join("\u0001", head.labels().labels()));
            switch (head) {
                case ClassificationHead c -> update(digest, c.pooling().name() + (c.pooler() ? "+pooler" : ""));
                case TokenClassificationHead t -> update(digest, t.scheme().name() + request.labelSubTokens());
            }
            for (Example example : request.examples()) {
                update(digest, example.text());
                update(digest, String.valueOf(example.label()));
                if (example.entities() != null) {
                    for (EntitySpan span : example.entities()) {
                        update(digest, span.start() + ":" + span.end() + ":" + span.label());
                    }
                }
            }
            return folder.resolve("features-" + HexFormat.of().formatHex(digest.digest()).substring(0, 32)
                    + ".safetensors");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
