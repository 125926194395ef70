package org.bert4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
                  --max-length N      truncate to N tokens (default: the model's maximum)
                  --no-special        leave out [CLS] and [SEP]
                  --input FILE        texts from FILE: plain lines, JSONL (--columns, default 'text') or CSV (--columns)
                  --input-format F    plain | jsonl | csv (default: from the file extension)
                  --columns A,B       JSONL fields / CSV columns joined with a space into one text
                Texts come from the arguments, else --input, else stdin.
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

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        BertTokenizer tokenizer = BertTokenizer.load(ModelLocator.modelDir(args, false));
        EncodeOptions options = EncodeOptions.defaults()
                .withMaxLength(args.getInt("max-length", tokenizer.modelMaxLength(), 2, Integer.MAX_VALUE))
                .withAddSpecialTokens(!args.has("no-special"));
        boolean pair = args.has("pair");
        int count = 0;
        try (TextSource texts = TextSource.open(args, console, args.positionals())) {
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
                count++;
            }
        }
        console.out().flush();
        if (count == 0) {
            throw new UsageException("tokenize: the input holds no texts");
        }
        return Main.OK;
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
