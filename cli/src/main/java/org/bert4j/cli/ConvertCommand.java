package org.bert4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bert4j.convert.BundledModels;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;
import org.bert4j.folder.Pooling;
import org.bert4j.folder.SentenceTransformerConfig;
import org.bert4j.folder.TaskConfig;
import org.bert4j.heads.PretrainedHead;

/** {@code bert4j convert}: any supported checkpoint into a Hugging Face safetensors model folder. */
final class ConvertCommand implements Command {
    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "convert an ONNX / PyTorch / safetensors checkpoint into a bert4j (Hugging Face) model folder";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j convert SRC --out DIR [options]

                Writes DIR in the Hugging Face layout: model.safetensors (HF tensor names, Linear weights
                [out,in]), config.json, vocab.txt, tokenizer.json (when SRC has one), tokenizer_config.json, and
                the sentence-transformers pooling files when the pooling is known. DIR appears atomically.

                SRC is one of:
                  an .onnx file (with <name>-tokenizer.json or tokenizer.json / vocab.txt beside it)
                  a jar holding <name>.onnx and <name>-tokenizer.json (the langchain4j model jars)
                  pytorch_model.bin (torch.save zip format) in a folder with config.json and vocab.txt
                  a Hugging Face folder with *.safetensors (F16/BF16 kept unless --dtype f32)

                A BertForSequenceClassification or BertForTokenClassification checkpoint (a classifier,
                a cross-encoder, a NER model) keeps its head: classifier.weight/bias are checked against
                config.json's id2label and kept; 'bert4j classify', 'ner' and 'rerank' then run DIR.
                  the name of a bundled model: %s

                Options:
                  --out DIR          the model folder to write (required)
                  --heads N          attention heads per layer, when SRC does not record them
                  --dtype f32        widen F16/BF16 weights to F32
                  --pooling P        record cls | mean | max pooling for sentence embeddings
                  --normalize        record that embeddings are L2-normalised (with --pooling)
                  --quantize int8    store the encoder's Linear weights in int8 (symmetric, one scale per
                                     output channel): a quarter of their size; bert4j runs such a folder
                                     with int8 weights unless told --quantize none
                  --force            replace DIR if it exists
                """.formatted(String.join(", ", BundledModels.names()));
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("out", "heads", "dtype", "pooling", QuantizeChoice.OPTION);
    }

    @Override
    public Set<String> switches() {
        return Set.of("normalize", "force");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        if (args.positionals().size() != 1) {
            throw new UsageException("convert: expected exactly one SRC, got " + args.positionals().size()
                    + " (usage: bert4j convert SRC --out DIR)");
        }
        String out = args.get("out");
        if (out == null) {
            throw new UsageException("convert: --out DIR is required");
        }
        ConvertOptions options = ConvertOptions.defaults()
                .withOverwrite(args.has("force"))
                .withWidenToF32("f32".equals(args.getChoice("dtype", null, List.of("f32"))))
                .withInt8("int8".equals(args.getChoice(QuantizeChoice.OPTION, null, List.of("none", "int8"))))
                // What Hugging Face tolerates (a longer vocab.txt, no pooler, ...) converts, said on this command's stderr.
                .withWarnings(message -> console.err().println("bert4j convert: warning: " + message));
        if (args.get("heads") != null) {
            options = options.withNumAttentionHeads(args.getInt("heads", 0, 1, 4096));
        }
        String pooling = args.getChoice("pooling", null, List.of("cls", "mean", "max"));
        if (pooling != null) {
            options = options.withPooling(new SentenceTransformerConfig(Pooling.fromName(pooling), args.has("normalize"), 0));
        } else if (args.has("normalize")) {
            throw new UsageException("convert: --normalize needs --pooling");
        }
        String source = args.positionals().getFirst();
        Path sourcePath = Path.of(source);
        Path written;
        try (StepProgress progress = new StepProgress(console)) {
            options = options.withProgress(progress::report);
            if (!Files.exists(sourcePath) && BundledModels.names().contains(source)) {
                written = ModelConverter.convert(BundledModels.ensure(source), Path.of(out), options);
            } else {
                written = ModelConverter.convert(sourcePath, Path.of(out), options);
            }
        }
        console.err().println("bert4j convert: wrote " + written);
        describeHead(written, console);
        return Main.OK;
    }

    /** Says what a converted task head predicts, so a label mix-up shows before the first prediction. */
    private static void describeHead(Path written, Console console) {
        try {
            if (PretrainedHead.architectureOf(written) == null) {
                return;
            }
            TaskConfig task = TaskConfig.read(written.resolve("config.json"));
            console.err().println("bert4j convert: a " + task.taskArchitecture() + " head with " + task.numLabels()
                    + " label" + (task.numLabels() == 1 ? "" : "s") + ": " + String.join(", ", task.labels())
                    + (task.problemType() == null ? "" : " (" + task.problemType() + ")"));
        } catch (IOException e) {
            // Not a task model (its task fields were checked at conversion): the folder is written; nothing to add.
        }
    }

    /** One progress bar per conversion step (reading, tensors, writing ...). */
    private static final class StepProgress implements AutoCloseable {
        private final Console console;
        private ProgressBar bar;
        private String step;
        private long reported;

        StepProgress(Console console) {
            this.console = console;
        }

        void report(String name, long done, long total) {
            if (!name.equals(step)) {
                close();
                step = name;
                reported = 0;
                bar = new ProgressBar(console, "convert: " + name, total > 1 << 20 ? "bytes" : "items", total > 0 ? total : -1, -1);
            }
            bar.advance(done - reported);
            reported = done;
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
