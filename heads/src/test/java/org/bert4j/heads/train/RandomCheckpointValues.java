package org.bert4j.heads.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;

/** Every tensor of a model folder's model.safetensors, by name: what a model was before training. */
final class RandomCheckpointValues {
    private RandomCheckpointValues() {}

    static Map<String, float[]> of(Path folder) throws IOException {
        Map<String, float[]> values = new HashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (TensorInfo info : file.tensors()) {
                values.put(info.name(), file.readFloats(info.name()));
            }
        }
        return values;
    }
}
