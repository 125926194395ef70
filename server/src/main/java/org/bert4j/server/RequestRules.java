package org.bert4j.server;

import java.util.List;
import java.util.Locale;

/** The rules TEI applies to every request, in one place: client batch size, truncation, prompts. */
final class RequestRules {

    private final ServerOptions options;
    private final Prompts prompts;

    RequestRules(ServerOptions options, Prompts prompts) {
        this.options = options;
        this.prompts = prompts;
    }

    /** An empty list is 400 {@code empty}; more than {@code max_client_batch_size} items is 413 {@code validation}. */
    void checkBatch(List<?> items, String field) {
        if (items.isEmpty()) {
            throw ApiError.empty("`" + field + "` cannot be empty");
        }
        if (items.size() > options.maxClientBatchSize()) {
            throw ApiError.validation("batch size " + items.size() + " > maximum allowed batch size "
                    + options.maxClientBatchSize());
        }
    }

    /**
     * Whether to cut long inputs: the request's {@code truncate}, else the server's auto-truncate. Only right
     * truncation is offered (the tokenizer keeps the start of a text); {@code "truncation_direction": "left"} is
     * refused rather than silently ignored.
     */
    boolean truncate(JsonBody body) {
        String direction = body.optionalString("truncation_direction");
        if (direction != null && !direction.toLowerCase(Locale.ROOT).equals("right")) {
            throw ApiError.badRequest("`truncation_direction` must be \"right\" (left truncation is not supported), got \""
                    + direction + "\"");
        }
        return body.bool("truncate", options.autoTruncate());
    }

    /** The text of prompt {@code prompt_name}, "" when the request names none; an unknown name is 413 as in TEI. */
    String prompt(JsonBody body) {
        String name = body.optionalString("prompt_name");
        if (name == null) {
            return "";
        }
        return prompts.prompt(name).orElseThrow(() -> ApiError.validation(prompts.names().isEmpty()
                ? "`prompt_name` is \"" + name + "\" but the model folder has no prompts (config_sentence_transformers.json)"
                : "`prompt_name` \"" + name + "\" was not found in the model's prompts. Available prompts: "
                        + prompts.names()));
    }

    ServerOptions options() {
        return options;
    }
}
