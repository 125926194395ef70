package org.bert4j.server;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.tokenizer.Encoding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /embed} and {@code POST /embed_all} as Hugging Face TEI documents them, and {@code POST /v1/embeddings}
 * as OpenAI's API (with TEI's choices where OpenAI has none to make: inputs are normalised, long ones refused unless
 * the server auto-truncates).
 */
final class EmbedRoutes {

    private final ServedModel served;
    private final RequestRules rules;

    EmbedRoutes(ServedModel served, RequestRules rules) {
        this.served = served;
        this.rules = rules;
    }

    List<Route> routes() {
        return List.of(Route.post("/embed", Route.Access.INFERENCE, this::embed),
                Route.post("/embed_all", Route.Access.INFERENCE, this::embedAll),
                new Route("POST", "/v1/embeddings", Route.Access.INFERENCE, true, this::openAi));
    }

    /** {@code inputs}, {@code normalize} (true), {@code truncate}, {@code prompt_name}, {@code dimensions} → [[float]]. */
    private Response embed(Request request) throws Exception {
        JsonBody body = request.json();
        JsonBody.Texts texts = body.texts("inputs");
        rules.checkBatch(texts.texts(), "inputs");
        boolean truncate = rules.truncate(body);
        boolean normalize = body.bool("normalize", true);
        String prompt = rules.prompt(body);
        int dimensions = body.positiveInt("dimensions", 1, served.dimension());
        List<Encoding> encodings = served.inputs().encode(texts.texts(), truncate, prompt, "inputs");
        float[][] vectors = served.embed(encodings, normalize, dimensions, request.deadlineNanos());
        return Response.json(json -> {
            json.beginArray();
            for (float[] v : vectors) {
                JsonOut.floats(json, v);
            }
            json.endArray();
        });
    }

    /** Every token's last hidden state, [CLS] and [SEP] included, as TEI: [[[float]]], one matrix per input. */
    private Response embedAll(Request request) throws Exception {
        JsonBody body = request.json();
        JsonBody.Texts texts = body.texts("inputs");
        rules.checkBatch(texts.texts(), "inputs");
        boolean truncate = rules.truncate(body);
        String prompt = rules.prompt(body);
        List<Encoding> encodings = served.inputs().encode(texts.texts(), truncate, prompt, "inputs");
        BertModelOutput out = served.forward(encodings, request.deadlineNanos());
        return Response.json(json -> {
            json.beginArray();
            for (int s = 0; s < out.size(); s++) {
                json.beginArray();
                for (int t = 0; t < out.sequenceLengths()[s]; t++) {
                    JsonOut.floats(json, out.tokenVector(s, t));
                }
                json.endArray();
            }
            json.endArray();
        });
    }

    /**
     * OpenAI's {@code input} (string or strings), {@code encoding_format} float|base64 (little-endian float32, as
     * OpenAI's clients decode it), {@code dimensions}; {@code model} and {@code user} are accepted and ignored: the
     * server has one model, named in the answer.
     */
    private Response openAi(Request request) throws Exception {
        JsonBody body = request.json();
        JsonBody.Texts texts = body.texts("input");
        rules.checkBatch(texts.texts(), "input");
        String format = body.optionalString("encoding_format");
        boolean base64 = format != null && format.equals("base64");
        if (format != null && !base64 && !format.equals("float")) {
            throw ApiError.badRequest("`encoding_format` must be \"float\" or \"base64\", got \"" + format + "\"");
        }
        int dimensions = body.positiveInt("dimensions", 1, served.dimension());
        List<Encoding> encodings = served.inputs().encode(texts.texts(), rules.options().autoTruncate(), "", "input");
        float[][] vectors = served.embed(encodings, true, dimensions, request.deadlineNanos());
        int tokens = encodings.stream().mapToInt(Encoding::length).sum();
        return Response.json(json -> {
            json.beginObject().name("object").value("list").name("data").beginArray();
            for (int i = 0; i < vectors.length; i++) {
                json.beginObject().name("object").value("embedding").name("embedding");
                if (base64) {
                    json.value(base64(vectors[i]));
                } else {
                    JsonOut.floats(json, vectors[i]);
                }
                json.name("index").value(i).endObject();
            }
            json.endArray().name("model").value(served.name());
            json.name("usage").beginObject().name("prompt_tokens").value(tokens).name("total_tokens").value(tokens)
                    .endObject();
            json.endObject();
        });
    }

    static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
