package org.bert4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bert4j.engine.ModelInput;
import org.bert4j.folder.BertConfig;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;

/** {@code bert4j tokenize}: one JSON object per text with tokens, ids, type ids, offsets and word ids. */
final class TokenizeCommand implements Command {
    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "WordPiece tokens, ids, offsets and word ids of texts (or text pairs with --pair)";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j tokenize [--model DIR] [--pair] [--max-length N] [--input FILE] [TEXT...]

                Prints one JSON object per text: tokens, ids, type_ids, offsets ([start,end) UTF-16 indices into
                the text, so text.substring(start, end) is the token's source) and word_ids (null for special
                tokens), the way Hugging Face's BertTokenizerFast encodes it.

                Options:
                  --model DIR         model folder with tokenizer.json or vocab.txt (default: all-MiniLM-L6-v2)
                  --pair              encode texts two at a time as a pair: [CLS] A [SEP] B [SEP]
                  --max-length N      truncate to N tokens, as embed does (default: the model's max_seq_length,
                                      else its model_max_length; 256 for the default model)
                  --no-special        leave out [CLS] and [SEP]
                  --input FILE        texts from FILE ('-' for stdin): plain lines, JSONL or CSV (--columns)
                  --input-format F    plain | jsonl | csv (default: from the file extension)
                  --columns A,B       JSONL fields / CSV columns joined with a space (default for JSONL: text)
                  --encoding E        charset of the input (default UTF-8; windows-1252 or ISO-8859-1 for Latin-1)
                Texts come from the arguments, else --input, else stdin. Empty input prints nothing and exits 0.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return union(TextSource.OPTIONS, Set.of("model", "max-length"));
    }

    @Override
    public Set<String> switches() {
        return Set.of("pair", "no-special");
    }

    /** Arguments and the first text are checked before the tokenizer loads; empty input prints nothing, exit 0. */
    @Override
    public int run(CommandLine args, Console console) throws Exception {
        int maxLength = args.getInt("max-length", 0, 2, Integer.MAX_VALUE);
        boolean pair = args.has("pair");
        Path givenModel = ModelLocator.given(args, false);
        try (TextSource input = TextSource.open(args, console, args.positionals())) {
            String first = input.next();
            if (first == null) {
                return Main.OK;
            }
            TextSource texts = TextSource.startingWith(first, input);
            Path model = givenModel != null ? givenModel : ModelLocator.modelDir(args, false);
            BertTokenizer tokenizer = BertTokenizer.load(model);
            EncodeOptions options = EncodeOptions.defaults()
                    .withMaxLength(maxLength > 0 ? maxLength : defaultMaxLength(model, tokenizer))
                    .withAddSpecialTokens(!args.has("no-special"));
            for (String text = texts.next(); text != null; text = texts.next()) {
                Encoding encoding;
                if (pair) {
                    String second = texts.next();
                    if (second == null) {
                        throw new UsageException("tokenize: --pair needs an even number of texts; the last one has no partner");
                    }
                    encoding = tokenizer.encodePair(text, second, options);
                } else {
                    encoding = tokenizer.encode(text, options);
                }
                console.out().println(toJson(encoding));
                console.checkOut();
            }
        }
        return Main.OK;
    }

    /**
     * The length embed truncates at, so that tokenize shows what the model sees: {@link ModelInput}'s rule when the
     * folder has a config.json; a tokenizer-only folder has no model, so its tokenizer's model_max_length.
     */
    private static int defaultMaxLength(Path model, BertTokenizer tokenizer) throws IOException {
        Path config = model.resolve("config.json");
        return Files.isRegularFile(config) ? ModelInput.defaultMaxLength(model, tokenizer, BertConfig.read(config))
                : tokenizer.modelMaxLength();
    }

    static JsonObject toJson(Encoding encoding) {
        JsonObject object = new JsonObject();
        JsonArray tokens = new JsonArray();
        JsonArray ids = new JsonArray();
        JsonArray typeIds = new JsonArray();
        JsonArray offsets = new JsonArray();
        JsonArray wordIds = new JsonArray();
        for (int i = 0; i < encoding.length(); i++) {
            tokens.add(encoding.tokens()[i]);
            ids.add(encoding.ids()[i]);
            typeIds.add(encoding.typeIds()[i]);
            JsonArray span = new JsonArray();
            span.add(encoding.offsetStarts()[i]);
            span.add(encoding.offsetEnds()[i]);
            offsets.add(span);
            int word = encoding.wordIds()[i];
            if (word < 0) {
                wordIds.add(com.google.gson.JsonNull.INSTANCE);
            } else {
                wordIds.add(word);
            }
        }
        object.add("tokens", tokens);
        object.add("ids", ids);
        object.add("type_ids", typeIds);
        object.add("offsets", offsets);
        object.add("word_ids", wordIds);
        return object;
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
