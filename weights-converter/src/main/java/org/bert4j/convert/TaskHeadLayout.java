package org.bert4j.convert;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bert4j.folder.TaskConfig;
import org.bert4j.safetensors.Tensor;

/**
 * The head of Hugging Face's BERT task models ({@code modeling_bert.py}), checked against {@code config.json} when
 * converting, so a converted folder's classifier, labels and config agree before anyone loads it:
 * {@code BertForSequenceClassification} reads the pooler ({@code pooler.dense}, which must then be present) through
 * {@code classifier} [num_labels, hidden]; {@code BertForTokenClassification} puts {@code classifier}
 * [num_labels, hidden] on every token.
 */
final class TaskHeadLayout {

    private TaskHeadLayout() {}

    /**
     * Checks the head {@code config}'s {@code architectures} names, if any, and writes its labels back in full
     * ({@code id2label}, {@code label2id}, {@code num_labels}); a config without a task head is left as it is.
     */
    static void check(Path configFile, String source, JsonObject config, Map<String, Tensor> byName, int hidden)
            throws ConversionException {
        if (!declaresHead(config)) {
            return; // no task head: the labels are not read, and a model converted before converts as before
        }
        TaskConfig task;
        String architecture;
        try {
            task = TaskConfig.fromJson(config);
            architecture = task.taskArchitecture();
        } catch (IllegalArgumentException e) {
            throw new ConversionException(configFile + ": " + e.getMessage(), e);
        }
        if (architecture == null) {
            return;
        }
        int labels = task.numLabels();
        expect(configFile, source, architecture, byName, "classifier.weight", labels, hidden);
        expect(configFile, source, architecture, byName, "classifier.bias", labels);
        if (architecture.equals(TaskConfig.SEQUENCE_CLASSIFICATION) && !byName.containsKey("pooler.dense.weight")) {
            throw new ConversionException(source + ": config.json declares " + architecture + ", whose classifier reads"
                    + " the pooler, but the checkpoint has no (bert.)pooler.dense.weight");
        }
        task.writeLabels(config);
    }

    /** Whether {@code config}'s architectures name a task head whose classifier this converter checks and keeps. */
    static boolean declaresHead(JsonObject config) {
        String declared = String.valueOf(config.get("architectures"));
        return declared.contains(TaskConfig.SEQUENCE_CLASSIFICATION) || declared.contains(TaskConfig.TOKEN_CLASSIFICATION);
    }

    private static void expect(Path configFile, String source, String architecture, Map<String, Tensor> byName,
                               String name, long... shape) throws ConversionException {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new ConversionException(source + ": config.json declares " + architecture + " but the checkpoint has no "
                    + name);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ConversionException(source + ": " + name + " has shape " + Arrays.toString(t.shape()) + ", but "
                    + configFile.getFileName() + " implies " + Arrays.toString(shape) + " (" + shape[0]
                    + " labels in id2label" + (shape.length > 1 ? ", hidden size " + shape[1] : "") + ")");
        }
    }
}
