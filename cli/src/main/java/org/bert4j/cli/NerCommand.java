package org.bert4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bert4j.heads.HeadKind;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;

/**
 * {@code bert4j ner}: entity spans a token-classification head finds in each text, from a head bert4j trained or a
 * Hugging Face BertForTokenClassification.
 */
final class NerCommand implements Command {
    @Override
    public String name() {
        return "ner";
    }

    @Override
    public String summary() {
        return "find entities with a NER head (trained by bert4j, or a converted Hugging Face one)";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j ner --heads DIR [options] [TEXT...]
                       bert4j ner --model DIR [options] [TEXT...]

                Prints, per text, the entities found: label, [start, end) character offsets into the text
                (UTF-16, as Java's String.substring takes them), the covered text and a score, as JSONL
                ({"index":0,"entities":[{"label":"COUNTRY","start":4,"end":8,"text":"U.S.","score":0.97}]})
                or, with --pretty, the text with every entity marked inline: [U.S.](COUNTRY).

                The head is a folder written by 'bert4j train', or a Hugging Face BertForTokenClassification
                converted with 'bert4j convert' (tags from its id2label; given as --heads DIR or --model DIR).
                Entity scores are the mean softmax probability of their tokens' (or words') tags.

                Options:
                  --heads DIR          heads folder written by 'bert4j train', or a converted task model
                  --task NAME          which NER head, when the folder has several
                  --aggregation S      how sub-word tags become entities, as Hugging Face's pipeline:
                                       none | simple | first | average | max (default: the head's own,
                                       first for a converted model; Hugging Face's pipeline defaults to none)
                  --model DIR          run on this backbone instead of the one the heads were trained on;
                                       alone: a converted BertForTokenClassification model folder
                  --pretty             the text with entities marked inline instead of JSONL
                  --batch-size N       texts per backbone pass (default 32)
                  --threads N          compute threads (default: all cores)
                  --kernels K          vector, vector-128/256/512 or scalar (default: scalar for texts given
                                       as arguments, vector otherwise)
                  --quantize Q         int8: the encoder's weights in int8 (a quarter of the memory; faster
                                       for small batches), none: FP32 (default: as the model folder stores them)
                  --input FILE         texts from FILE ('-' for stdin): plain lines, JSONL or CSV (see --columns)
                  --input-format F     plain | jsonl | csv (default: from the file extension)
                  --columns A,B        JSONL fields / CSV columns joined with a space (default for JSONL: text)
                  --encoding E         charset of the input (default UTF-8; windows-1252 or ISO-8859-1 for Latin-1)

                Empty input prints nothing and exits 0; when the reader of stdout stops early (| head), ner stops
                within a batch and exits with 141.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return TokenizeCommand.union(TextSource.OPTIONS, TokenizeCommand.union(HeadsLoader.OPTIONS, Set.of("aggregation")));
    }

    @Override
    public Set<String> switches() {
        return Set.of("pretty");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        String aggregation = args.getChoice("aggregation", null, List.of("none", "simple", "first", "average", "max"));
        boolean pretty = args.has("pretty");
        return HeadsLoader.printPredictions(args, console, HeadKind.TOKEN_CLASSIFICATION, (model, task, batch, first) -> {
            List<List<Entity>> found = aggregation == null ? model.entities(batch, task)
                    : model.entities(batch, task, AggregationStrategy.parse(aggregation));
            List<String> lines = new java.util.ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                lines.add(pretty ? pretty(first + i, batch.get(i), found.get(i)) : json(first + i, found.get(i)).toString());
            }
            return lines;
        });
    }

    static JsonObject json(long index, List<Entity> entities) {
        JsonObject object = new JsonObject();
        object.addProperty("index", index);
        JsonArray array = new JsonArray();
        for (Entity entity : entities) {
            JsonObject e = new JsonObject();
            e.addProperty("label", entity.label());
            e.addProperty("start", entity.start());
            e.addProperty("end", entity.end());
            e.addProperty("text", entity.text());
            e.addProperty("score", entity.score());
            array.add(e);
        }
        object.add("entities", array);
        return object;
    }

    /** The text with each entity written as {@code [covered text](LABEL)}, in the style of Markdown links. */
    static String pretty(long index, String text, List<Entity> entities) {
        StringBuilder marked = new StringBuilder();
        int at = 0;
        for (Entity entity : entities) {
            if (entity.start() < at) {
                continue; // overlapping spans cannot both be marked inline
            }
            marked.append(text, at, entity.start()).append('[').append(text, entity.start(), entity.end())
                    .append("](").append(entity.label()).append(')');
            at = entity.end();
        }
        marked.append(text.substring(at));
        return String.format(Locale.ROOT, "%4d  %s", index, marked);
    }
}
