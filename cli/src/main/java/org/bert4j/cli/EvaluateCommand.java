package org.bert4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bert4j.heads.Head;
import org.bert4j.heads.HeadKind;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.data.Dataset;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.data.FieldMapping;
import org.bert4j.heads.ner.AggregationStrategy;

/**
 * {@code bert4j evaluate}: scores trained heads on a labelled file (the formats {@code train} reads), so fine-tuned
 * quality can be measured from the shell: accuracy and F1 for a classification head, entity F1 for a NER head.
 */
final class EvaluateCommand implements Command {
    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "score classification / NER heads on a labelled CSV, JSONL or CoNLL file";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j evaluate --heads DIR --data FILE [options]

                Runs the heads over every example of a labelled file, read as 'bert4j train' reads it, and prints
                per task: classification: accuracy, macro-F1, weighted-F1 and each label's precision, recall, F1
                and support; NER: entity precision, recall and F1 (micro; an entity counts only when type, start
                and end all match, as seqeval counts them, over the entities 'bert4j ner' prints), each type's
                scores, and token accuracy (the share of words, i.e. whitespace-separated tokens, whose BIO tag
                is right). Labels or entity types the head does not know count as errors, with a warning.

                The classification head is scored when --label-column is given, the NER head when --ner-column
                is given or the file is CoNLL / token-tag JSONL. The heads load as for 'classify' and 'ner' (with
                the backbone recorded in heads.json, e.g. one fine-tuned by 'train --unfreeze').

                Options:
                  --heads DIR          heads folder written by 'bert4j train', or a converted task model
                  --model DIR          run on this backbone instead of the one the heads were trained on;
                                       alone: a converted Hugging Face task model folder
                  --data FILE          labelled examples (.csv, .jsonl, .conll; also .json, .txt, .bio, .iob)
                  --text-columns A,B   columns / fields joined with a space into the text
                                       (default: headline,short_description, as in the seed)
                  --label-column C     class label column: score the classification head on it
                  --encoding E         charset of the data file (default UTF-8; windows-1252 or
                                       ISO-8859-1 for older exports)
                  --ner-column C       entity annotations column: [('4 Million', 'AMOUNT'), ...]
                  --task NAME          which head, when the folder has several of a kind
                  --aggregation S      none | simple | first | average | max: how sub-word tags become
                                       entities (default: the head's own, as 'bert4j ner')
                  --max-length N       truncate texts to N tokens (default: the length the heads were
                                       trained with); entities past the cut count as missed
                  --batch-size N       texts per backbone pass (default 32)
                  --threads N          compute threads (default: all cores)
                  --kernels K          vector, vector-128/256/512 or scalar (default: the vector kernels,
                                       as for input files)
                  --json               one JSON object on stdout instead of tables
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return TokenizeCommand.union(HeadsLoader.OPTIONS, Set.of("data", "text-columns", "label-column", "ner-column",
                "aggregation", "max-length", Encodings.OPTION));
    }

    @Override
    public Set<String> switches() {
        return Set.of("json");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("evaluate: unexpected argument '" + args.positionals().getFirst()
                    + "' (data comes with --data FILE)");
        }
        if (args.get("heads") == null && args.get("model") == null) {
            throw new UsageException("evaluate: --heads DIR is required (a folder written by 'bert4j train')");
        }
        Path data = TrainCommand.requiredFile(args, "data");
        String aggregation = args.getChoice("aggregation", null, List.of("none", "simple", "first", "average", "max"));
        int batchSize = args.getInt("batch-size", 32, 1, 65536);
        List<String> textColumns = args.getList("text-columns", List.of("headline", "short_description"));
        String labelColumn = args.get("label-column");
        String nerColumn = args.get("ner-column");
        java.nio.charset.Charset charset = Encodings.charset(args);
        // Every option and the heads folder are checked before the data is read and the model loads.
        HeadsLoader.Request request = HeadsLoader.request(args, null);

        Dataset dataset = TrainCommand.readData(console, "evaluate", data, new FieldMapping(textColumns, labelColumn,
                nerColumn), charset);
        if (dataset.examples().isEmpty()) {
            throw new UsageException("evaluate: " + data + " holds no examples");
        }
        boolean classification = labelColumn != null;
        // Without columns, CoNLL and token-tag JSONL still carry entities: every example has a (maybe empty) list.
        boolean ner = nerColumn != null
                || (labelColumn == null && dataset.examples().stream().allMatch(Example::hasEntities));
        if (!classification && !ner) {
            throw new UsageException("evaluate: nothing to score in " + data + ": give --label-column and/or"
                    + " --ner-column (CoNLL files need neither)");
        }
        if (classification && !dataset.examples().stream().allMatch(Example::hasLabel)) {
            // CSV and JSONL refuse an empty label cell when read; only token-tag formats come without labels.
            throw new UsageException("evaluate: --label-column " + labelColumn + ": " + data + " holds no class labels"
                    + " (CoNLL and token-tag JSONL files hold only entities)");
        }

        EvaluationReport report = new EvaluationReport(data, args.get("heads") != null ? args.get("heads")
                : args.get("model"));
        try (MultiTaskModel model = HeadsLoader.open(args, request)) {
            List<String> heads = heads(args, model, classification, ner);
            if (classification) {
                String head = heads.getFirst();
                try (ProgressBar bar = bar(console, head, dataset.size(), batchSize)) {
                    report.add(HeadScorer.classification(model, head, dataset.examples(), batchSize, bar));
                }
            }
            if (ner) {
                String head = heads.getLast();
                try (ProgressBar bar = bar(console, head, dataset.size(), batchSize)) {
                    report.add(HeadScorer.entities(model, head, dataset.examples(),
                            aggregation == null ? null : AggregationStrategy.parse(aggregation), batchSize, bar));
                }
            }
            int maxLength = model.backbone().maxLength();
            for (String warning : report.warnings(maxLength)) {
                console.err().println("bert4j evaluate: warning: " + warning);
            }
            console.out().print(args.has("json") ? report.json(maxLength) + "\n" : report.text());
        }
        return Main.OK;
    }

    private static ProgressBar bar(Console console, String head, int examples, int batchSize) {
        return new ProgressBar(console, "evaluate " + head, "examples", examples, (examples + batchSize - 1) / batchSize);
    }

    /**
     * The heads to score, classification first: for each kind asked for, the head --task names if it is of that
     * kind, else the folder's only head of that kind. --task must name one of them.
     */
    private static List<String> heads(CommandLine args, MultiTaskModel model, boolean classification, boolean ner) {
        List<String> chosen = new ArrayList<>();
        String task = args.get("task");
        List<HeadKind> kinds = new ArrayList<>();
        if (classification) {
            kinds.add(HeadKind.CLASSIFICATION);
        }
        if (ner) {
            kinds.add(HeadKind.TOKEN_CLASSIFICATION);
        }
        Map<String, Head> all = model.heads();
        String listed = all.values().stream().map(h -> h.name() + " [" + h.kind().id() + "]")
                .collect(Collectors.joining(", "));
        for (HeadKind kind : kinds) {
            if (task != null && all.containsKey(task) && all.get(task).kind() == kind) {
                chosen.add(task);
                continue;
            }
            List<String> candidates = all.values().stream().filter(h -> h.kind() == kind).map(Head::name).toList();
            if (candidates.isEmpty()) {
                String why = kind == HeadKind.CLASSIFICATION ? "--label-column" : "the data's entity annotations";
                throw new UsageException("evaluate: " + why + " ask for a " + kind.id() + " head, and the model has"
                        + " none (heads: " + listed + ")");
            }
            if (candidates.size() > 1) {
                throw new UsageException("evaluate: several " + kind.id() + " heads; choose one with --task ("
                        + String.join(", ", candidates) + ")");
            }
            chosen.add(candidates.getFirst());
        }
        if (task != null && !chosen.contains(task)) {
            throw new UsageException(String.format(Locale.ROOT, "evaluate: --task %s is not a head scored here"
                    + " (heads: %s)", task, listed));
        }
        return chosen;
    }
}
