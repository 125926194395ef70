package org.bert4j.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the seed corpus of {@link OnnxFuzzTest}: the tiny BERT of {@link TinyBertOnnx} in each storage variant a
 * real export uses, so that fuzzing starts from models the importer accepts. Run once by hand (docs/fuzzing.md):
 * {@code java -cp <test classpath> org.bert4j.convert.OnnxFuzzSeeds <inputs folder>}.
 */
final class OnnxFuzzSeeds {

    private OnnxFuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(Path.of(args[0]));
        Path work = Files.createTempDirectory("onnx-seeds");
        for (TinyBertOnnx.Storage storage : TinyBertOnnx.Storage.values()) {
            TinyBertOnnx m = new TinyBertOnnx();
            m.storage = storage;
            m.externalLocation = "weights.bin";
            seed(m, work, out.resolve("seed-" + storage.name().toLowerCase()));
        }
        TinyBertOnnx constants = new TinyBertOnnx();
        constants.weightsInConstantNodes = true;
        constants.scopedNodeNames = false;
        seed(constants, work, out.resolve("seed-constant-nodes"));
        TinyBertOnnx noHeads = new TinyBertOnnx();
        noHeads.headsReshape = false;
        seed(noHeads, work, out.resolve("seed-no-heads-reshape"));
    }

    private static void seed(TinyBertOnnx model, Path work, Path seed) throws IOException {
        Files.copy(model.write(work), seed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
