package org.bert4j.heads.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;
import org.bert4j.training.AdamW;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a fine-tuning run stands after an epoch, on disk, so that an interrupted run resumes from its last epoch as if
 * it had never stopped: every trained tensor's values, the optimiser's moments and step counts (float, exactly),
 * the best epoch's values, and the epochs' reports. Two files, {@code state.safetensors} and {@code state.json},
 * each written beside its name and renamed; the JSON, renamed last, names the epoch the tensors belong to.
 */
final class FineTuneCheckpoint {
    private FineTuneCheckpoint() {}

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /** The run's progress besides the tensors. */
    record State(int epoch, int optimizerSteps, int bestEpoch, double bestScore, int sinceBest,
                 List<EpochReport> epochs, boolean hasBest, int parameters) {}

    static void write(Path dir, State state, List<Parameter> parameters, AdamW optimizer, float[][] best)
            throws IOException {
        Files.createDirectories(dir);
        List<Tensor> tensors = new ArrayList<>();
        for (int p = 0; p < parameters.size(); p++) {
            float[] value = parameters.get(p).value();
            long[] shape = {value.length};
            tensors.add(Tensor.f32("value." + p, shape, value));
            tensors.add(Tensor.f32("m." + p, shape, optimizer.firstMoments(p)));
            tensors.add(Tensor.f32("v." + p, shape, optimizer.secondMoments(p)));
            if (best != null) {
                tensors.add(Tensor.f32("best." + p, shape, best[p]));
            }
        }
        int[] steps = new int[parameters.size()];
        for (int p = 0; p < steps.length; p++) {
            steps[p] = optimizer.parameterSteps(p);
        }
        tensors.add(Tensor.i32("parameter_steps", new long[] {steps.length}, steps));
        Path weightsTmp = dir.resolve("state.safetensors.tmp");
        Path jsonTmp = dir.resolve("state.json.tmp");
        SafetensorsWriter.write(weightsTmp, tensors, Map.of("epoch", Integer.toString(state.epoch())));
        Files.writeString(jsonTmp, GSON.toJson(state), StandardCharsets.UTF_8);
        Files.move(weightsTmp, dir.resolve("state.safetensors"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(jsonTmp, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a checkpoint back into the parameters and the optimiser; returns its state and the best epoch's values
     * (into {@code best}, when it has them). A checkpoint of another run (another number or size of tensors) is an
     * error naming what differs.
     */
    static State read(Path dir, List<Parameter> parameters, AdamW optimizer, float[][] best) throws IOException {
        Path json = dir.resolve("state.json");
        if (!Files.isRegularFile(json)) {
            throw new IOException(dir + ": no checkpoint to resume from (state.json missing)");
        }
        State state = GSON.fromJson(Files.readString(json, StandardCharsets.UTF_8), new TypeToken<State>() { }.getType());
        if (state.parameters() != parameters.size()) {
            throw new IOException(dir + ": the checkpoint holds " + state.parameters() + " tensors, this run trains "
                    + parameters.size() + ": resume with the options the run started with");
        }
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("state.safetensors"))) {
            if (!Integer.toString(state.epoch()).equals(file.metadata().get("epoch"))) {
                throw new IOException(dir + ": state.json and state.safetensors are of different epochs");
            }
            float[][] m = new float[parameters.size()][];
            float[][] v = new float[parameters.size()][];
            for (int p = 0; p < parameters.size(); p++) {
                float[] value = file.readFloats("value." + p);
                float[] live = parameters.get(p).value();
                if (value.length != live.length) {
                    throw new IOException(dir + ": tensor " + p + " (" + parameters.get(p).name() + ") holds "
                            + value.length + " values in the checkpoint, " + live.length + " in this run");
                }
                System.arraycopy(value, 0, live, 0, live.length);
                // readFloats also rounds the double moments that earlier checkpoints held.
                m[p] = file.readFloats("m." + p);
                v[p] = file.readFloats("v." + p);
                if (state.hasBest()) {
                    best[p] = file.readFloats("best." + p);
                }
            }
            var steps = file.segment("parameter_steps");
            int[] perParameter = new int[parameters.size()];
            for (int p = 0; p < perParameter.length; p++) {
                perParameter[p] = steps.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), p);
            }
            optimizer.restore(state.optimizerSteps(), perParameter, m, v);
        }
        return state;
    }
}
