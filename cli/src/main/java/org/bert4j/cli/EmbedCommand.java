package org.bert4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bert4j.engine.EmbeddingRequest;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.Precision;
import org.bert4j.folder.Pooling;
import org.bert4j.engine.SentenceEncoder;

/** {@code bert4j embed}: sentence embeddings, streamed batch by batch to stdout or a file. */
final class EmbedCommand implements Command {
    @Override
    public String name() {
        return "embed";
    }

    @Override
    public String summary() {
        return "sentence embeddings of texts (default model: all-MiniLM-L6-v2, 384 dimensions)";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j embed [options] [TEXT...]

                Prints one sentence embedding per text, in input order. Texts come from the arguments, else
                --input FILE, else stdin (one per line). Empty input is no texts: nothing printed, exit 0.

                Options:
                  --model DIR          model folder (default: all-MiniLM-L6-v2, converted on first use)
                  --pooling P          cls | mean | max (default: the model's 1_Pooling/config.json, else mean)
                  --normalize          L2-normalise each embedding, after --truncate-dim too (default: as the
                                       model folder says, before any truncation)
                  --no-normalize       never normalise
                  --prompt TEXT        prepend TEXT to every text (e.g. "query: " for e5 models)
                  --prompt-name NAME   prepend the model's prompt NAME (config_sentence_transformers.json);
                                       default: its default_prompt_name, if any
                  --truncate-dim N     keep the first N dimensions (Matryoshka models)
                  --precision P        float32 (default) | int8 | uint8 | binary | ubinary, quantized as
                                       sentence-transformers does; int8/uint8 take each dimension's range from
                                       the whole input, so they hold every vector until the input ends
                  --batch-size N       texts per forward pass (default 32)
                  --max-length N       truncate texts to N tokens, [CLS] and [SEP] included (default: the
                                       model's max_seq_length, else its model_max_length; 256 for the default model)
                  --threads N          compute threads (default: all cores)
                  --kernels K          vector, vector-128/256/512 or scalar (default: scalar for texts given
                                       as arguments, vector otherwise)
                  --quantize Q         int8: the encoder's weights in int8 (a quarter of the memory; faster
                                       for small batches), none: FP32 (default: as the model folder stores them)
                  --format F           jsonl (default; {"index":i,"embedding":[...]}) | csv | npy (needs --output;
                                       float32, or int8/uint8 for the quantized precisions, bits packed in bytes)
                  --output FILE        write to FILE (via FILE.incomplete, renamed when done) instead of stdout
                  --input FILE         texts from FILE ('-' for stdin): plain lines, JSONL or CSV (see --columns)
                  --input-format F     plain | jsonl | csv (default: from the file extension)
                  --columns A,B        JSONL fields / CSV columns joined with a space (default for JSONL: text)
                  --encoding E         charset of the input (default UTF-8; windows-1252 or ISO-8859-1 for Latin-1)

                When the reader of stdout stops early (| head), embed stops within a batch and exits with 141.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return TokenizeCommand.union(TextSource.OPTIONS,
                Set.of("model", "pooling", "batch-size", "max-length", "threads", "format", "output",
                        KernelChoice.OPTION, "prompt", "prompt-name", "truncate-dim", "precision",
                        QuantizeChoice.OPTION));
    }

    @Override
    public Set<String> switches() {
        return Set.of("normalize", "no-normalize");
    }

    /**
     * Every argument, the output path and the input's first text are checked before the model loads: a mistake costs
     * no model load, and empty input (a grep that found nothing) is no texts, an empty output and exit 0.
     */
    @Override
    public int run(CommandLine args, Console console) throws Exception {
        if (args.has("normalize") && args.has("no-normalize")) {
            throw new UsageException("embed: --normalize and --no-normalize contradict each other");
        }
        String format = args.getChoice("format", "jsonl", List.of("jsonl", "csv", "npy"));
        String output = args.get("output");
        if (format.equals("npy") && output == null) {
            throw new UsageException("embed: --format npy writes a binary file: give it --output FILE");
        }
        int batchSize = args.getInt("batch-size", 32, 1, 65536);
        EncoderOptions options = encoderOptions(args);
        EmbeddingRequest request = embeddingRequest(args);
        Precision precision = Precision.fromName(args.getChoice("precision", "float32",
                List.of("float32", "int8", "uint8", "binary", "ubinary")));
        Path givenModel = ModelLocator.given(args, true);
        OutputFile file = output == null ? null : OutputFile.of("embed", Path.of(output));
        try (TextSource input = TextSource.open(args, console, args.positionals())) {
            String first = input.next();
            if (first == null) {
                writeEmpty(format, precision, file, givenModel);
                return Main.OK;
            }
            TextSource texts = TextSource.startingWith(first, input);
            Path model = givenModel != null ? givenModel : ModelLocator.modelDir(args);
            try (SentenceEncoder encoder = SentenceEncoder.load(model, options)) {
                // These depend on the model, so they wait for it.
                if (request.promptName() != null && !encoder.prompts().containsKey(request.promptName())) {
                    throw new UsageException("embed: --prompt-name " + request.promptName() + " is not among the model's"
                            + " prompts " + encoder.prompts().keySet() + " (config_sentence_transformers.json)");
                }
                if (request.truncateDim() > encoder.dimension()) {
                    throw new UsageException("embed: --truncate-dim " + request.truncateDim() + " exceeds the model's "
                            + encoder.dimension() + " dimensions");
                }
                long expected = countTexts(args, console);
                try (OutputStream stream = file == null ? console.out() : file.open();
                        EmbeddingWriter writer = writer(format, precision, stream, file)) {
                    stream(texts, encoder, request, batchSize, writer, console, expected, file == null);
                    writer.finish();
                }
            }
            if (file != null) {
                file.commit();
            }
        }
        return Main.OK;
    }

    private static EmbeddingWriter writer(String format, Precision precision, OutputStream stream, OutputFile file)
            throws IOException {
        return precision == Precision.FLOAT32 ? switch (format) {
            case "csv" -> EmbeddingWriter.csv(stream);
            case "npy" -> EmbeddingWriter.npy(file.partial());
            default -> EmbeddingWriter.jsonl(stream);
        } : QuantizedEmbeddingWriter.of(precision, format, stream, file == null ? null : file.partial());
    }

    /**
     * The output of no texts, whole like any other: nothing on stdout; an empty JSONL or CSV file (a CSV header would
     * need the model's width); a float32 npy matrix of shape (0, hidden size), the width read from the model's
     * config.json; for the quantized precisions, what their writer writes for no rows.
     */
    private static void writeEmpty(String format, Precision precision, OutputFile file, Path givenModel)
            throws IOException {
        if (file == null) {
            return;
        }
        if (format.equals("npy") && precision == Precision.FLOAT32) {
            Path model = givenModel != null ? givenModel : org.bert4j.convert.BundledModels.defaultModel();
            int width = org.bert4j.folder.BertConfig.read(model.resolve("config.json")).hiddenSize();
            Files.write(file.partial(), EmbeddingWriter.NpyHeader.of(0, width));
        } else {
            try (OutputStream stream = file.open();
                    EmbeddingWriter writer = writer(format, precision, stream, file)) {
                writer.finish();
            }
        }
        file.commit();
    }

    /**
     * Embeds batch after batch, writing each as soon as it is computed. When the output is stdout, each batch ends by
     * checking it can still be written: a closed pipe stops the work there ({@link OutputClosedException}).
     */
    private static long stream(TextSource texts, SentenceEncoder encoder, EmbeddingRequest request, int batchSize,
            EmbeddingWriter writer, Console console, long expected, boolean toStdout) throws Exception {
        long index = 0;
        long steps = expected < 0 ? -1 : (expected + batchSize - 1) / batchSize;
        try (ProgressBar bar = new ProgressBar(console, "embed", "texts", expected, steps)) {
            List<String> batch = new ArrayList<>(batchSize);
            boolean more = true;
            while (more) {
                batch.clear();
                String text;
                while (batch.size() < batchSize && (text = texts.next()) != null) {
                    batch.add(text);
                }
                more = batch.size() == batchSize;
                if (batch.isEmpty()) {
                    break;
                }
                float[][] vectors = encoder.encode(batch, request);
                for (float[] vector : vectors) {
                    writer.write(index++, vector);
                }
                writer.flush();
                if (toStdout) {
                    console.checkOut();
                }
                bar.advance(batch.size());
            }
        }
        return index;
    }

    static EncoderOptions encoderOptions(CommandLine args) {
        EncoderOptions options = EncoderOptions.defaults();
        String pooling = args.getChoice("pooling", null, List.of("cls", "mean", "max"));
        if (pooling != null) {
            options = options.withPooling(Pooling.valueOf(pooling.toUpperCase(Locale.ROOT)));
        }
        if (args.has("normalize")) {
            options = options.withNormalize(true);
        } else if (args.has("no-normalize")) {
            options = options.withNormalize(false);
        }
        if (args.get("max-length") != null) {
            options = options.withMaxLength(args.getInt("max-length", 512, 2, 1 << 20));
        }
        if (args.get("threads") != null) {
            options = options.withThreads(args.getInt("threads", 1, 1, 1024));
        }
        if (args.get("batch-size") != null) {
            options = options.withBatchSize(args.getInt("batch-size", 32, 1, 65536));
        }
        return options.withEngine(options.engine().withKernels(KernelChoice.of(args))
                .withQuantize(QuantizeChoice.of(args)));
    }

    /** sentence-transformers' encode arguments from --prompt, --prompt-name, --truncate-dim and --normalize. */
    static EmbeddingRequest embeddingRequest(CommandLine args) {
        if (args.get("prompt") != null && args.get("prompt-name") != null) {
            throw new UsageException("embed: give --prompt or --prompt-name, not both");
        }
        EmbeddingRequest request = EmbeddingRequest.defaults();
        if (args.get("prompt") != null) {
            request = request.withPrompt(args.get("prompt"));
        } else if (args.get("prompt-name") != null) {
            request = request.withPromptName(args.get("prompt-name"));
        }
        if (args.get("truncate-dim") != null) {
            request = request.withTruncateDim(args.getInt("truncate-dim", 0, 1, 1 << 20));
        }
        // --normalize promises unit vectors, so it also rescales after truncation (normalize_embeddings=True).
        return request.withNormalizeEmbeddings(args.has("normalize") && request.truncateDim() > 0);
    }

    /**
     * The number of texts, for the progress bar's total and ETA; -1 when unknown (stdin) or when no bar is drawn
     * (stderr not a terminal). An --input file is counted by a pass of the same reader the embedding uses, so a
     * CSV counts records (quoted fields may span lines) and JSONL skips blank lines as the real pass does. The pass
     * is cheap next to the embedding (400,000 CSV records, 49 MB, count in under a second): an ETA is worth it.
     */
    static long countTexts(CommandLine args, Console console) {
        if (!args.positionals().isEmpty()) {
            return args.positionals().size();
        }
        String input = args.get("input");
        if (!console.errIsTerminal() || input == null || input.equals("-") || !Files.isRegularFile(Path.of(input))) {
            return -1;
        }
        try (TextSource texts = TextSource.open(args, console, List.of())) {
            long count = 0;
            while (texts.next() != null) {
                count++;
            }
            return count;
        } catch (java.io.IOException | RuntimeException e) {
            return -1; // the embedding pass reports the error, at the record where it stops
        }
    }
}
