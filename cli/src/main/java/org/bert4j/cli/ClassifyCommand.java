package org.bert4j.cli;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.ClassificationFunction;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.HeadKind;

/**
 * {@code bert4j classify}: a classification head's label and scores for each text, from a head bert4j trained or a
 * Hugging Face BertForSequenceClassification.
 */
final class ClassifyCommand implements Command {
    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String summary() {
        return "label texts with a classification head (trained by bert4j, or a converted Hugging Face one)";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j classify --heads DIR [options] [TEXT...]
                       bert4j classify --model DIR [options] [TEXT...]

                Prints, per text, the top label, its probability and every label's probability, as JSONL
                ({"index":0,"label":"...","score":0.93,"probabilities":{...}}) or, with --pretty, a table.

                The head is a folder written by 'bert4j train', or a Hugging Face BertForSequenceClassification
                converted with 'bert4j convert' (labels from its id2label; given as --heads DIR or --model DIR).
                Scores are softmax probabilities, or as Hugging Face's text-classification pipeline scores such a
                model: sigmoid for problem_type multi_label_classification or one label (each label on its own),
                the raw logits for regression.

                Options:
                  --heads DIR        heads folder written by 'bert4j train', or a converted task model
                  --task NAME        which classification head, when the folder has several
                  --model DIR        run on this backbone instead of the one the heads were trained on;
                                     alone: a converted BertForSequenceClassification model folder
                  --function-to-apply F
                                     softmax | sigmoid | none: how logits become scores, instead of the
                                     head's own (none prints the logits, under "logits")
                  --pretty           human-readable table instead of JSONL
                  --batch-size N     texts per backbone pass (default 32)
                  --threads N        compute threads (default: all cores)
                  --kernels K        vector, vector-128/256/512 or scalar (default: scalar for texts given as
                                     arguments, vector otherwise)
                  --quantize Q       int8: the encoder's weights in int8 (a quarter of the memory; faster
                                     for small batches), none: FP32 (default: as the model folder stores them)
                  --input FILE       texts from FILE ('-' for stdin): plain lines, JSONL or CSV (see --columns)
                  --input-format F   plain | jsonl | csv (default: from the file extension)
                  --columns A,B      JSONL fields / CSV columns joined with a space (default for JSONL: text)
                  --encoding E       charset of the input (default UTF-8; windows-1252 or ISO-8859-1 for Latin-1)

                Empty input prints nothing and exits 0; when the reader of stdout stops early (| head), classify
                stops within a batch and exits with 141.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return TokenizeCommand.union(TextSource.OPTIONS, TokenizeCommand.union(HeadsLoader.OPTIONS,
                Set.of("function-to-apply")));
    }

    @Override
    public Set<String> switches() {
        return Set.of("pretty");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        boolean pretty = args.has("pretty");
        String asked = args.getChoice("function-to-apply", null, List.of("softmax", "sigmoid", "none"));
        ClassificationFunction override = asked == null ? null : ClassificationFunction.parse(asked);
        return HeadsLoader.printPredictions(args, console, HeadKind.CLASSIFICATION, (model, task, batch, first) -> {
            ClassificationFunction function = override != null ? override
                    : ((ClassificationHead) model.head(task)).function();
            List<ClassPrediction> predictions = model.classify(batch, task, function);
            List<String> lines = new java.util.ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                lines.add(pretty ? pretty(first + i, predictions.get(i), batch.get(i), function)
                        : json(first + i, predictions.get(i), function).toString());
            }
            return lines;
        });
    }

    static JsonObject json(long index, ClassPrediction prediction) {
        return json(index, prediction, ClassificationFunction.SOFTMAX);
    }

    /** One JSONL line; the per-label scores are "probabilities", or "logits" when no function was applied. */
    static JsonObject json(long index, ClassPrediction prediction, ClassificationFunction function) {
        JsonObject object = new JsonObject();
        object.addProperty("index", index);
        object.addProperty("label", prediction.label());
        object.addProperty("score", prediction.score());
        JsonObject scores = new JsonObject();
        for (Map.Entry<String, Double> entry : prediction.probabilities().entrySet()) {
            scores.addProperty(entry.getKey(), entry.getValue());
        }
        object.add(function.givesProbabilities() ? "probabilities" : "logits", scores);
        return object;
    }

    private static String pretty(long index, ClassPrediction p, String text, ClassificationFunction function) {
        String shown = text.replaceAll("\\s+", " ").strip();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        String score = function.givesProbabilities() ? String.format(Locale.ROOT, "%5.1f%%", 100 * p.score())
                : String.format(Locale.ROOT, "%8.4f", p.score());
        return String.format(Locale.ROOT, "%4d  %-20s %s  %s", index, p.label(), score, shown);
    }
}
