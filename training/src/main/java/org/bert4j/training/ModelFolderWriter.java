package org.bert4j.training;

import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;
import org.bert4j.training.bert.TrainableBert;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a trained backbone as a Hugging Face model folder: {@code model.safetensors} under Hugging Face's names,
 * {@code config.json}, and the source folder's tokenizer and sentence-transformers files, so that the engine, the
 * CLI, {@code transformers} and sentence-transformers all load it. The folder appears whole or not at all: it is
 * written beside its final name and renamed.
 */
public final class ModelFolderWriter {
    private ModelFolderWriter() {}

    /** The files of a model folder besides the weights and config.json that the trained model shares with its source. */
    private static final List<String> COPIED = List.of("tokenizer.json", "vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "modules.json", "sentence_bert_config.json",
            "config_sentence_transformers.json", "1_Pooling", "2_Normalize");

    /** Writes {@code bert}'s weights and {@code source}'s other files into the new folder {@code target}. */
    public static void write(TrainableBert bert, Path source, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute)) {
            throw new FileAlreadyExistsException(absolute + " already exists");
        }
        Path staging = absolute.resolveSibling("." + absolute.getFileName() + ".incomplete");
        deleteTree(staging);
        Files.createDirectories(staging);
        try {
            List<Tensor> tensors = new ArrayList<>();
            for (Parameter p : bert.allTensors()) {
                long[] shape = new long[p.shape().length];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = p.shape()[i];
                }
                tensors.add(Tensor.f32(p.name(), shape, p.value()));
            }
            SafetensorsWriter.write(staging.resolve("model.safetensors"), tensors,
                    Map.of("format", "pt", "trained_by", "bert4j"));
            BertConfig config = bert.config();
            config.write(staging.resolve("config.json"));
            for (String name : COPIED) {
                Path from = source.resolve(name);
                if (Files.isDirectory(from)) {
                    copyTree(from, staging.resolve(name));
                } else if (Files.isRegularFile(from)) {
                    Files.copy(from, staging.resolve(name));
                }
            }
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(file);
                } catch (DirectoryNotEmptyException e) {
                    throw new IOException("could not clear " + dir, e);
                }
            }
        }
    }
}
