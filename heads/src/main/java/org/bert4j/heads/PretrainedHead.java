package org.bert4j.heads;

import org.bert4j.folder.Pooling;
import org.bert4j.folder.TaskConfig;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The task head of a Hugging Face checkpoint as a bert4j {@link Head}: {@code BertForSequenceClassification}
 * (pooler → dropout → classifier, a {@link ClassificationHead} on the pooler output) or
 * {@code BertForTokenClassification} (classifier on every token, a {@link TokenClassificationHead}). Its labels are
 * {@code config.json}'s {@code id2label}; its weights {@code classifier.weight} and {@code classifier.bias} in
 * {@code model.safetensors}, whether {@code bert4j convert} wrote the folder or transformers saved it.
 */
public final class PretrainedHead {

    /** The head's name: the attribute name of the linear layer in transformers, as its tensors are named. */
    public static final String NAME = "classifier";

    private PretrainedHead() {
    }

    /**
     * The task architecture {@code modelDir/config.json} declares ({@link TaskConfig#SEQUENCE_CLASSIFICATION} or
     * {@link TaskConfig#TOKEN_CLASSIFICATION}), or null when the folder has no config.json or it declares neither.
     */
    public static String architectureOf(Path modelDir) throws IOException {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return taskArchitecture(file, TaskConfig.read(file));
    }

    /** Reads the head of a task model folder for a backbone of {@code hiddenSize}, checking every shape. */
    public static Head read(Path modelDir, int hiddenSize) throws IOException {
        Path file = modelDir.resolve("config.json");
        TaskConfig task = TaskConfig.read(file);
        String architecture = taskArchitecture(file, task);
        if (architecture == null) {
            throw new IOException(file + ": architectures " + task.architectures() + " names no "
                    + TaskConfig.SEQUENCE_CLASSIFICATION + " or " + TaskConfig.TOKEN_CLASSIFICATION
                    + ", the task heads bert4j reads");
        }
        LabelVocabulary labels;
        try {
            labels = new LabelVocabulary(task.labels());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": id2label: " + e.getMessage(), e);
        }
        Path weights = modelDir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException(modelDir + ": no model.safetensors (convert the checkpoint first: bert4j convert "
                    + modelDir + " --out DIR)");
        }
        Linear linear;
        boolean pooler;
        try (SafetensorsFile weightsFile = SafetensorsFile.open(weights)) {
            float[] weight = tensor(weightsFile, NAME + ".weight", labels.size(), hiddenSize);
            float[] bias = tensor(weightsFile, NAME + ".bias", labels.size());
            linear = new Linear(NAME, hiddenSize, labels.size(), weight, bias);
            pooler = weightsFile.contains("pooler.dense.weight") || weightsFile.contains("bert.pooler.dense.weight");
        }
        if (architecture.equals(TaskConfig.SEQUENCE_CLASSIFICATION)) {
            if (!pooler) {
                throw new IOException(weights + ": " + architecture + " classifies BERT's pooler output, but the"
                        + " checkpoint has no pooler.dense tensors");
            }
            return new ClassificationHead(NAME, labels, Pooling.CLS, true, ClassificationFunction.defaultFor(task),
                    linear);
        }
        if (!labels.contains("O")) {
            throw new IOException(file + ": id2label " + labels + " has no 'O' tag; bert4j's entity aggregation needs"
                    + " one for the tokens outside every entity");
        }
        // Hugging Face's pipeline groups B-/I- tags whatever the model was trained with: the scheme is only a label.
        TagScheme scheme = labels.labels().stream().anyMatch(l -> l.startsWith("B-")) ? TagScheme.BIO : TagScheme.IO;
        return new TokenClassificationHead(NAME, labels, scheme, AggregationStrategy.FIRST, linear);
    }

    private static String taskArchitecture(Path file, TaskConfig task) throws IOException {
        try {
            return task.taskArchitecture();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static float[] tensor(SafetensorsFile file, String name, long... shape) throws IOException {
        if (!file.contains(name)) {
            throw new IOException(file.path() + ": no tensor '" + name + "' (the task head's linear layer)");
        }
        long[] actual = file.info(name).shape();
        if (!Arrays.equals(actual, shape)) {
            throw new IOException(file.path() + ": tensor '" + name + "' has shape " + Arrays.toString(actual)
                    + ", but config.json's id2label and the backbone's hidden size imply " + Arrays.toString(shape));
        }
        return file.readFloats(name);
    }
}
