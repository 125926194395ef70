package org.bert4j.convert;

import org.bert4j.folder.SentenceTransformerConfig;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of {@link ModelConverter#convert}: everything a checkpoint cannot say about itself, plus how to write.
 *
 * @param numAttentionHeads heads per layer when the source does not record them (0 = read from the source; a
 *                          value that contradicts the source is an error)
 * @param widenToF32        write F16/BF16 tensors as F32 (the CLI's {@code --dtype f32})
 * @param pooling           sentence pooling to record in the folder, or null to keep what the source says / knows
 * @param overwrite         replace an existing output folder (atomically) instead of refusing
 * @param progress          receives progress reports
 * @param int8              store the encoder's Linear weights in int8 ({@link org.bert4j.folder.Int8Weight}: an I8
 *                          tensor and its F32 {@code _scale} tensor each; the CLI's {@code --quantize int8}), which
 *                          bert4j then runs in int8 by default
 * @param warnings          receives one line for each thing the source does that Hugging Face tolerates and the
 *                          conversion therefore accepts (a vocabulary longer than the embedding matrix, TensorFlow's
 *                          LayerNorm gamma/beta names, tensors BertModel does not use, no pooler); by default they
 *                          go to standard error, as transformers' logger warnings do
 */
public record ConvertOptions(int numAttentionHeads, boolean widenToF32, SentenceTransformerConfig pooling, boolean overwrite,
                             ProgressListener progress, boolean int8, Consumer<String> warnings) {

    /** Prints a warning on standard error, prefixed so that it stands out from a tool's own output. */
    public static final Consumer<String> STANDARD_ERROR = message -> System.err.println("bert4j convert: warning: " + message);

    public ConvertOptions {
        if (numAttentionHeads < 0) {
            throw new IllegalArgumentException("numAttentionHeads must be positive, got " + numAttentionHeads);
        }
        progress = Objects.requireNonNullElse(progress, ProgressListener.NONE);
        warnings = Objects.requireNonNullElse(warnings, STANDARD_ERROR);
    }

    /** Heads from the source, dtypes kept, pooling as known, no overwrite, no progress reports, warnings to stderr. */
    public static ConvertOptions defaults() {
        return new ConvertOptions(0, false, null, false, ProgressListener.NONE, false, STANDARD_ERROR);
    }

    /** A copy that stores the encoder's Linear weights in int8 (or not). */
    public ConvertOptions withInt8(boolean int8) {
        return new ConvertOptions(numAttentionHeads, widenToF32, pooling, overwrite, progress, int8, warnings);
    }

    /** A copy with the number of attention heads given explicitly. */
    public ConvertOptions withNumAttentionHeads(int heads) {
        return new ConvertOptions(heads, widenToF32, pooling, overwrite, progress, int8, warnings);
    }

    /** A copy that widens (or not) F16/BF16 weights to F32. */
    public ConvertOptions withWidenToF32(boolean widen) {
        return new ConvertOptions(numAttentionHeads, widen, pooling, overwrite, progress, int8, warnings);
    }

    /** A copy that records {@code pooling} in the output folder. */
    public ConvertOptions withPooling(SentenceTransformerConfig pooling) {
        return new ConvertOptions(numAttentionHeads, widenToF32, pooling, overwrite, progress, int8, warnings);
    }

    /** A copy that may (or may not) replace an existing output folder. */
    public ConvertOptions withOverwrite(boolean overwrite) {
        return new ConvertOptions(numAttentionHeads, widenToF32, pooling, overwrite, progress, int8, warnings);
    }

    /** A copy sending warnings to {@code listener} (e.g. a list, in a test; a logger, in an application). */
    public ConvertOptions withWarnings(Consumer<String> listener) {
        return new ConvertOptions(numAttentionHeads, widenToF32, pooling, overwrite, progress, int8, listener);
    }

    /** A copy reporting progress to {@code listener}. */
    public ConvertOptions withProgress(ProgressListener listener) {
        return new ConvertOptions(numAttentionHeads, widenToF32, pooling, overwrite, listener, int8, warnings);
    }
}
