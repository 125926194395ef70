package org.bert4j.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.engine.TokenBatch;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One folder of the PyTorch oracle's fixtures (scripts/torch/README.md): the model, its heads, the batch and the
 * expected values, read back exactly (F64 stays double).
 */
final class TorchFixture implements AutoCloseable {

    private static final ValueLayout.OfDouble LE_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final Path dir;
    final JsonObject batchJson;
    private final Map<String, SafetensorsFile> files = new HashMap<>();

    TorchFixture(String name) throws IOException {
        try {
            dir = Path.of(TorchFixture.class.getResource("/torch/" + name + "/batch.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        batchJson = JsonParser.parseString(Files.readString(dir.resolve("batch.json"))).getAsJsonObject();
    }

    /** The unpadded sequences, packed, with their token types when the fixture gives them. */
    TokenBatch batch() {
        JsonArray sequences = batchJson.getAsJsonArray("sequences");
        JsonArray types = batchJson.has("sequence_token_type_ids") ? batchJson.getAsJsonArray("sequence_token_type_ids")
                : null;
        int[][] ids = new int[sequences.size()][];
        int[][] typeIds = new int[sequences.size()][];
        for (int s = 0; s < ids.length; s++) {
            JsonArray row = sequences.get(s).getAsJsonArray();
            ids[s] = new int[row.size()];
            typeIds[s] = new int[row.size()];
            for (int t = 0; t < row.size(); t++) {
                ids[s][t] = row.get(t).getAsInt();
                typeIds[s][t] = types == null ? 0 : types.get(s).getAsJsonArray().get(t).getAsInt();
            }
        }
        return TokenBatch.of(ids, typeIds);
    }

    int[] labels() {
        JsonArray a = batchJson.getAsJsonArray("labels");
        int[] labels = new int[a.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = a.get(i).getAsInt();
        }
        return labels;
    }

    /** Each real token's tag, packed like the batch; −100 where ignored. */
    int[] tokenLabels(TokenBatch batch) {
        JsonArray rows = batchJson.getAsJsonArray("token_labels");
        int[] tags = new int[batch.totalTokens()];
        for (int s = 0; s < batch.size(); s++) {
            JsonArray row = rows.get(s).getAsJsonArray();
            for (int t = 0; t < batch.sequenceLengths()[s]; t++) {
                tags[batch.sequenceStarts()[s] + t] = row.get(t).getAsInt();
            }
        }
        return tags;
    }

    SafetensorsFile file(String name) throws IOException {
        SafetensorsFile f = files.get(name);
        if (f == null) {
            f = SafetensorsFile.open(dir.resolve(name));
            files.put(name, f);
        }
        return f;
    }

    /** An F64 tensor of {@code file}, exactly; null when absent. */
    double[] f64(String file, String tensor) throws IOException {
        SafetensorsFile f = file(file);
        if (!f.contains(tensor)) {
            return null;
        }
        if (f.info(tensor).dtype() != DType.F64) {
            throw new IOException(tensor + " is not F64");
        }
        var segment = f.segment(tensor);
        double[] values = new double[(int) (segment.byteSize() / 8)];
        for (int i = 0; i < values.length; i++) {
            values[i] = segment.getAtIndex(LE_DOUBLE, i);
        }
        return values;
    }

    /** An F32 tensor of {@code file}. */
    float[] f32(String file, String tensor) throws IOException {
        return file(file).readFloats(tensor);
    }

    @Override
    public void close() {
        files.values().forEach(SafetensorsFile::close);
    }
}
