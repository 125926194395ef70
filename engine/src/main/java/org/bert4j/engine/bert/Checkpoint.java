package org.bert4j.engine.bert;

import org.bert4j.folder.Int8Weight;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The tensors of a BERT checkpoint, looked up by their Hugging Face names and checked against the shape the config
 * implies, so a mismatched config and checkpoint fail at load with the tensor's name.
 *
 * <p>Checkpoints saved from a task model ({@code BertForSequenceClassification}, ...) put the backbone under
 * {@code bert.}; that prefix is found once here so the modules use the plain names of {@code BertModel}.
 *
 * <p>A weight stored in int8 ({@link Int8Weight}: an {@code I8} tensor and its {@code _scale} tensor) is read as
 * such by {@link #int8}, and as its dequantized floats by {@link #floats}, so every reader of floats (training,
 * a model loaded without quantization) takes an int8 folder as it takes any other.
 */
public final class Checkpoint {

    private final SafetensorsFile file;
    private final String prefix;

    /** Wraps an open safetensors file; the caller keeps ownership of it. */
    public Checkpoint(SafetensorsFile file) {
        this.file = file;
        this.prefix = file.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    }

    /** Whether the checkpoint holds this tensor (name without the {@code bert.} prefix). */
    public boolean contains(String name) {
        return file.contains(prefix + name);
    }

    /**
     * Reads one tensor as floats after checking its shape; missing or misshapen → an error naming the tensor. An int8
     * weight is dequantized (W' = q · scale).
     */
    public float[] floats(String name, int... shape) throws IOException {
        String full = checkShape(name, shape);
        if (file.info(full).dtype() == DType.I8 && shape.length == 2) {
            return int8(name, shape[0], shape[1]).dequantize();
        }
        return file.readFloats(full);
    }

    /** Whether the weight {@code name} [out × in] is stored in int8 (an I8 tensor); false if it is absent. */
    public boolean isInt8(String name) throws IOException {
        return file.contains(prefix + name) && file.info(prefix + name).dtype() == DType.I8;
    }

    /**
     * Reads the int8 weight {@code name} [out × in] and its scales {@code name_scale} [out] (F32, finite, ≥ 0): a
     * missing, misshapen or mistyped scale tensor, or a bad scale, is an error naming the tensor.
     */
    public Int8Weight int8(String name, int out, int in) throws IOException {
        String full = checkShape(name, out, in);
        if (file.info(full).dtype() != DType.I8) {
            throw new IOException(file.path() + ": tensor " + full + " is " + file.info(full).dtype() + ", not I8");
        }
        String scaleName = Int8Weight.scaleName(name);
        if (!contains(scaleName)) {
            throw new IOException(file.path() + ": tensor " + full + " is I8 but its scales " + prefix + scaleName
                    + " [" + out + "] are missing");
        }
        String fullScale = checkShape(scaleName, out);
        if (file.info(fullScale).dtype() != DType.F32) {
            throw new IOException(file.path() + ": tensor " + fullScale + " is " + file.info(fullScale).dtype()
                    + ", expected F32 scales");
        }
        byte[] values = file.segment(full).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        float[] scales = file.readFloats(fullScale);
        try {
            return new Int8Weight(out, in, values, scales);
        } catch (IllegalArgumentException e) {
            throw new IOException(file.path() + ": tensor " + fullScale + ": " + e.getMessage(), e);
        }
    }

    /**
     * The raw little-endian F32 bytes of one tensor, memory-mapped (no copy), after checking its shape and dtype;
     * null if the tensor is not F32 (the caller then reads floats).
     */
    public MemorySegment f32Segment(String name, int... shape) throws IOException {
        String full = checkShape(name, shape);
        if (!"F32".equals(file.info(full).dtype().name())) {
            return null;
        }
        return file.segment(full);
    }

    /**
     * Checks that the checkpoint holds exactly the encoder layers 0 … layers − 1 that config.json declares: one with
     * more layers would otherwise load as a silently truncated model, and one with fewer fail only at its first
     * missing tensor (after the loader had sized itself by the config).
     */
    public void requireLayers(int layers) throws IOException {
        String layerPrefix = prefix + "encoder.layer.";
        int present = 0;
        for (TensorInfo t : file.tensors()) {
            if (t.name().startsWith(layerPrefix)) {
                String rest = t.name().substring(layerPrefix.length());
                int dot = rest.indexOf('.');
                String index = dot < 0 ? rest : rest.substring(0, dot);
                if (!index.isEmpty() && index.length() <= 9 && index.chars().allMatch(Character::isDigit)) {
                    present = Math.max(present, Integer.parseInt(index) + 1);
                }
            }
        }
        if (present != layers) {
            throw new IOException(file.path() + ": config.json's num_hidden_layers is " + layers + ", but the checkpoint "
                    + (present == 0 ? "has no " + layerPrefix + "* tensors"
                            : "has layers up to " + layerPrefix + (present - 1) + " (" + present + " layers)"));
        }
    }

    private String checkShape(String name, int... shape) throws IOException {
        String full = prefix + name;
        if (!file.contains(full)) {
            throw new IOException(file.path() + ": missing tensor " + full + " (expected shape "
                    + Arrays.toString(shape) + " from config.json)");
        }
        long[] actual = file.info(full).shape();
        long[] expected = Arrays.stream(shape).asLongStream().toArray();
        if (!Arrays.equals(actual, expected)) {
            throw new IOException(file.path() + ": tensor " + full + " has shape " + Arrays.toString(actual)
                    + ", but config.json implies " + Arrays.toString(expected));
        }
        return full;
    }
}
