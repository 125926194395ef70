package org.bert4j.cli;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.HeadKind;

/** {@code bert4j classify}: a trained classification head's label and probabilities for each text. */
final class ClassifyCommand implements Command {
    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String summary() {
        return "label texts with a trained classification head (top label + every label's probability)";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j classify --heads DIR [options] [TEXT...]

                Prints, per text, the top label, its probability and every label's probability, as JSONL
                ({"index":0,"label":"...","score":0.93,"probabilities":{...}}) or, with --pretty, a table.

                Options:
                  --heads DIR        heads folder written by 'bert4j train' (required)
                  --task NAME        which classification head, when the folder has several
                  --model DIR        run on this backbone instead of the one the heads were trained on
                  --pretty           human-readable table instead of JSONL
                  --batch-size N     texts per backbone pass (default 32)
                  --threads N        compute threads (default: all cores)
                  --kernels K        vector, vector-128/256/512 or scalar (default: scalar for texts given as
                                     arguments, vector otherwise)
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
        return TokenizeCommand.union(TextSource.OPTIONS, HeadsLoader.OPTIONS);
    }

    @Override
    public Set<String> switches() {
        return Set.of("pretty");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        boolean pretty = args.has("pretty");
        return HeadsLoader.printPredictions(args, console, HeadKind.CLASSIFICATION, (model, task, batch, first) -> {
            List<ClassPrediction> predictions = model.classify(batch, task);
            List<String> lines = new java.util.ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                lines.add(pretty ? pretty(first + i, predictions.get(i), batch.get(i)) : json(first + i, predictions.get(i)).toString());
            }
            return lines;
        });
    }

    static JsonObject json(long index, ClassPrediction prediction) {
        JsonObject object = new JsonObject();
        object.addProperty("index", index);
        object.addProperty("label", prediction.label());
        object.addProperty("score", prediction.score());
        JsonObject probabilities = new JsonObject();
        for (Map.Entry<String, Double> entry : prediction.probabilities().entrySet()) {
            probabilities.addProperty(entry.getKey(), entry.getValue());
        }
        object.add("probabilities", probabilities);
        return object;
    }

    private static String pretty(long index, ClassPrediction p, String text) {
        String shown = text.replaceAll("\\s+", " ").strip();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return String.format(Locale.ROOT, "%4d  %-20s %5.1f%%  %s", index, p.label(), 100 * p.score(), shown);
    }
}
