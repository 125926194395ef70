package org.bert4j.engine.bert;

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

    /** Reads one tensor as floats after checking its shape; missing or misshapen → an error naming the tensor. */
    public float[] floats(String name, int... shape) throws IOException {
        String full = checkShape(name, shape);
        return file.readFloats(full);
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
