package org.bert4j.engine;

import org.bert4j.folder.EncodeConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sentence encoder's prompts, resolved as sentence-transformers resolves them: the map starts as
 * {@code {"query": "", "document": ""}} (sentence-transformers 5 seeds both) and takes the folder's prompts over it;
 * a request's explicit prompt wins, then its prompt name (which must exist), then the folder's default prompt name.
 */
final class EncodePrompts {

    private final Map<String, String> byName;
    private final String defaultName;
    private final boolean includePrompt;
    private final Path source;

    private EncodePrompts(Map<String, String> byName, String defaultName, boolean includePrompt, Path source) {
        this.byName = Collections.unmodifiableMap(byName);
        this.defaultName = defaultName;
        this.includePrompt = includePrompt;
        this.source = source;
    }

    /**
     * The prompts of a folder's config ({@code source} names the file in errors). A default prompt name the prompts
     * lack is an error, as sentence-transformers raises one at load.
     */
    static EncodePrompts of(EncodeConfig config, boolean includePrompt, Path source) throws IOException {
        Map<String, String> byName = new LinkedHashMap<>();
        byName.put("query", "");
        byName.put("document", "");
        byName.putAll(config.prompts());
        String defaultName = config.defaultPromptName();
        if (defaultName != null && !byName.containsKey(defaultName)) {
            throw new IOException(source + ": default_prompt_name \"" + defaultName
                    + "\" is not among the prompts " + byName.keySet());
        }
        return new EncodePrompts(byName, defaultName, includePrompt, source);
    }

    /** The text to prepend for {@code request}; empty for none. */
    String resolve(EmbeddingRequest request) {
        String prompt;
        if (request.prompt() != null) {
            prompt = request.prompt();
        } else if (request.promptName() != null) {
            prompt = byName.get(request.promptName());
            if (prompt == null) {
                throw new IllegalArgumentException("prompt name \"" + request.promptName() + "\" is not among the model's"
                        + " prompts " + byName.keySet() + " (from " + source + " when present)");
            }
        } else {
            prompt = defaultName == null ? "" : byName.get(defaultName);
        }
        if (!prompt.isEmpty() && !includePrompt) {
            // The pooling would have to leave the prompt's tokens out (1_Pooling include_prompt: false); refuse
            // rather than return vectors that differ from sentence-transformers'.
            throw new IllegalArgumentException("this model's 1_Pooling/config.json sets include_prompt false, which"
                    + " bert4j does not support yet: encode without a prompt, or set include_prompt true");
        }
        return prompt;
    }

    /** {@code encode_query}: the "query" prompt unless the request names one. */
    EmbeddingRequest forQuery(EmbeddingRequest request) {
        return request.hasPrompt() || !byName.containsKey("query") ? request : request.withPromptName("query");
    }

    /** {@code encode_document}: the first of "document", "passage", "corpus" present, unless the request names one. */
    EmbeddingRequest forDocument(EmbeddingRequest request) {
        if (!request.hasPrompt()) {
            for (String candidate : List.of("document", "passage", "corpus")) {
                if (byName.containsKey(candidate)) {
                    return request.withPromptName(candidate);
                }
            }
        }
        return request;
    }

    Map<String, String> byName() {
        return byName;
    }

    String defaultName() {
        return defaultName;
    }
}
