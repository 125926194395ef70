package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.bert4j.tokenizer.Truncation;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /tokenize} and {@code POST /decode} as TEI documents them. Token offsets ({@code start},
 * {@code stop}) count characters (code points) of the text, prompt included, as TEI's do; special tokens have none.
 */
final class TokenizeRoutes {

    private final ServedModel served;
    private final RequestRules rules;

    TokenizeRoutes(ServedModel served, RequestRules rules) {
        this.served = served;
        this.rules = rules;
    }

    List<Route> routes() {
        return List.of(Route.post("/tokenize", Route.Access.TOOL, this::tokenize),
                Route.post("/decode", Route.Access.TOOL, this::decode));
    }

    /** {@code inputs}, {@code add_special_tokens} (true), {@code prompt_name}: untruncated, as TEI tokenises. */
    private Response tokenize(Request request) {
        JsonBody body = request.json();
        JsonBody.Texts texts = body.texts("inputs");
        rules.checkBatch(texts.texts(), "inputs");
        EncodeOptions options = EncodeOptions.defaults().withTruncation(Truncation.NONE)
                .withAddSpecialTokens(body.bool("add_special_tokens", true));
        String prompt = rules.prompt(body);
        BertTokenizer tokenizer = served.inputs().input().tokenizer();
        List<String> fulls = new ArrayList<>();
        List<Encoding> encodings = new ArrayList<>();
        for (int i = 0; i < texts.texts().size(); i++) {
            if (texts.texts().get(i).isEmpty()) {
                throw ApiError.validation("`" + (texts.single() ? "inputs" : "inputs[" + i + "]") + "` cannot be empty");
            }
            String full = prompt + texts.texts().get(i);
            fulls.add(full);
            encodings.add(tokenizer.encode(full, options));
        }
        return Response.json(json -> {
            json.beginArray();
            for (int i = 0; i < encodings.size(); i++) {
                Encoding e = encodings.get(i);
                String text = fulls.get(i);
                json.beginArray();
                for (int t = 0; t < e.length(); t++) {
                    boolean special = e.specialTokensMask()[t] == 1;
                    json.beginObject().name("id").value(e.ids()[t]).name("text")
                            .value(special ? e.tokens()[t] : text.substring(e.offsetStarts()[t], e.offsetEnds()[t]))
                            .name("special").value(special);
                    if (special) {
                        json.name("start").nullValue().name("stop").nullValue();
                    } else {
                        json.name("start").value(text.codePointCount(0, e.offsetStarts()[t]))
                                .name("stop").value(text.codePointCount(0, e.offsetEnds()[t]));
                    }
                    json.endObject();
                }
                json.endArray();
            }
            json.endArray();
        });
    }

    /** {@code ids} ([int] or [[int]]), {@code skip_special_tokens} (true) → [string]. */
    private Response decode(Request request) {
        JsonBody body = request.json();
        JsonElement ids = body.get("ids");
        if (ids == null) {
            throw ApiError.badRequest("`ids` is required (an array of token ids, or an array of such arrays)");
        }
        if (!ids.isJsonArray()) {
            throw ApiError.badRequest("`ids` must be an array of token ids, or an array of such arrays, got "
                    + JsonBody.kind(ids));
        }
        JsonArray array = ids.getAsJsonArray();
        List<int[]> sequences = new ArrayList<>();
        if (!array.isEmpty() && array.get(0).isJsonArray()) {
            for (int i = 0; i < array.size(); i++) {
                JsonElement item = array.get(i);
                if (!item.isJsonArray()) {
                    throw ApiError.badRequest("`ids[" + i + "]` must be an array of token ids, got " + JsonBody.kind(item));
                }
                sequences.add(ids(item.getAsJsonArray(), "ids[" + i + "]"));
            }
            rules.checkBatch(sequences, "ids");
        } else {
            sequences.add(ids(array, "ids"));
        }
        boolean skip = body.bool("skip_special_tokens", true);
        BertTokenizer tokenizer = served.inputs().input().tokenizer();
        List<String> texts = new ArrayList<>();
        for (int[] sequence : sequences) {
            try {
                texts.add(tokenizer.decode(sequence, skip));
            } catch (IllegalArgumentException e) {
                throw ApiError.tokenizer(e.getMessage());
            }
        }
        return Response.json(json -> {
            json.beginArray();
            for (String text : texts) {
                json.value(text);
            }
            json.endArray();
        });
    }

    private static int[] ids(JsonArray array, String field) {
        if (array.isEmpty()) {
            throw ApiError.validation("`" + field + "` cannot be empty");
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement item = array.get(i);
            if (!(item instanceof JsonPrimitive p && p.isNumber()) || p.getAsDouble() != Math.rint(p.getAsDouble())
                    || p.getAsDouble() < 0 || p.getAsDouble() > Integer.MAX_VALUE) {
                throw ApiError.badRequest("`" + field + "[" + i + "]` must be a token id (a whole number >= 0), got "
                        + JsonBody.kind(item));
            }
            out[i] = (int) p.getAsDouble();
        }
        return out;
    }
}
