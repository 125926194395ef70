package org.bert4j.cli;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.crossencoder.CrossEncoder;
import org.bert4j.heads.crossencoder.RankedDocument;
import org.bert4j.heads.crossencoder.ScoreActivation;

/** {@code bert4j rerank}: documents ordered by a cross-encoder's score against a query, best first. */
final class RerankCommand implements Command {
    @Override
    public String name() {
        return "rerank";
    }

    @Override
    public String summary() {
        return "order documents by relevance to a query with a cross-encoder (e.g. ms-marco MiniLM)";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j rerank --model DIR --query TEXT [options] [DOCUMENT...]

                Scores each document against the query with a cross-encoder and prints the documents best
                first, as sentence-transformers' CrossEncoder.rank does, as JSONL
                ({"corpus_id":2,"score":8.61,"text":"..."}; corpus_id is the document's position in the input)
                or, with --pretty, a table.

                The model is a one-label BertForSequenceClassification converted with 'bert4j convert', e.g.
                cross-encoder/ms-marco-MiniLM-L-6-v2. Each pair is read as [CLS] query [SEP] document [SEP],
                cut longest first to the tokenizer's model_max_length. The score is the logit through the
                activation the model declares (ms-marco: identity, so raw logits), else sigmoid, as
                sentence-transformers does.

                Options:
                  --model DIR        the cross-encoder's model folder (required)
                  --query TEXT       the query (required)
                  --top-k N          print only the N best documents (default: every document)
                  --activation A     identity | sigmoid | tanh instead of the model's own
                  --pretty           human-readable table instead of JSONL
                  --batch-size N     pairs per forward pass (default 32)
                  --threads N        compute threads (default: all cores)
                  --kernels K        vector, vector-128/256/512 or scalar (default: scalar for texts given as
                                     arguments, vector otherwise)
                  --quantize Q       int8: the encoder's weights in int8 (a quarter of the memory; faster
                                     for small batches), none: FP32 (default: as the model folder stores them)
                  --input FILE       documents from FILE ('-' for stdin): plain lines, JSONL or CSV (see --columns)
                  --input-format F   plain | jsonl | csv (default: from the file extension)
                  --columns A,B      JSONL fields / CSV columns joined with a space (default for JSONL: text)
                  --encoding E       charset of the input (default UTF-8; windows-1252 or ISO-8859-1 for Latin-1)

                No documents (empty input) print nothing and exit 0; when the reader of stdout stops early
                (| head), rerank stops and exits with 141.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return TokenizeCommand.union(TextSource.OPTIONS,
                Set.of("model", "query", "top-k", "activation", "batch-size", "threads", KernelChoice.OPTION,
                        QuantizeChoice.OPTION));
    }

    @Override
    public Set<String> switches() {
        return Set.of("pretty");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        if (args.get("model") == null) {
            throw new UsageException("rerank: --model DIR is required (a cross-encoder converted with 'bert4j convert')");
        }
        String query = args.get("query");
        if (query == null) {
            throw new UsageException("rerank: --query TEXT is required");
        }
        int topK = args.getInt("top-k", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int batchSize = args.getInt("batch-size", 32, 1, 65536);
        String activationName = args.getChoice("activation", null, List.of("identity", "sigmoid", "tanh"));
        EngineOptions engine = EngineOptions.defaults().withThreads(args.getInt("threads", 0, 1, 1024))
                .withKernels(KernelChoice.of(args)).withQuantize(QuantizeChoice.of(args));
        boolean pretty = args.has("pretty");
        List<RankedDocument> ranked;
        // The input's options are checked (the source opened, nothing read) before the model loads, and the model
        // before any document is read: a folder that is no cross-encoder fails without waiting for the input.
        try (TextSource texts = TextSource.open(args, console, args.positionals());
                CrossEncoder encoder = CrossEncoder.load(ModelLocator.modelDir(args), engine).withBatchSize(batchSize)) {
            // Every score is needed before the first line can be printed: the documents are held in memory.
            List<String> documents = new ArrayList<>();
            for (String text = texts.next(); text != null; text = texts.next()) {
                documents.add(text);
            }
            if (documents.isEmpty()) {
                return Main.OK;   // no documents: nothing to rank, as the other commands treat empty input
            }
            ranked = encoder.rank(query, documents, topK,
                    activationName == null ? encoder.activation() : ScoreActivation.parse(activationName));
        }
        for (RankedDocument r : ranked) {
            console.out().println(pretty ? pretty(r) : json(r).toString());
        }
        console.checkOut();
        return Main.OK;
    }

    static JsonObject json(RankedDocument r) {
        JsonObject object = new JsonObject();
        object.addProperty("corpus_id", r.corpusId());
        object.addProperty("score", r.score());
        object.addProperty("text", r.text());
        return object;
    }

    private static String pretty(RankedDocument r) {
        String shown = r.text().replaceAll("\\s+", " ").strip();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return String.format(Locale.ROOT, "%4d  %10.4f  %s", r.corpusId(), r.score(), shown);
    }
}
