package org.bert4j.server;

import org.bert4j.engine.ModelInput;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.bert4j.tokenizer.Truncation;

import java.util.ArrayList;
import java.util.List;

/**
 * Request texts to model input with TEI's rules on length: through {@link ModelInput} (tokenise, truncate at the
 * max input length), and when the request says {@code "truncate": false}, a text that would be cut is refused
 * instead (413 {@code validation}, naming the input and its length), as TEI refuses it.
 */
final class InputEncoder {

    private static final EncodeOptions UNTRUNCATED = EncodeOptions.defaults().withTruncation(Truncation.NONE);

    private final ModelInput input;

    InputEncoder(ModelInput input) {
        this.input = input;
    }

    /** The most tokens an input may have, special tokens included. */
    int maxLength() {
        return input.maxLength();
    }

    /** The model input this encoder goes through. */
    ModelInput input() {
        return input;
    }

    /**
     * Each text, prefixed with {@code prompt} (empty for none), tokenised; {@code field} names the inputs in errors
     * ({@code inputs}, {@code input}).
     */
    List<Encoding> encode(List<String> texts, boolean truncate, String prompt, String field) {
        List<Encoding> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(encode(texts.get(i), truncate, prompt, texts.size() == 1 ? field : field + "[" + i + "]"));
        }
        return out;
    }

    /** One text, checked as {@link #encode(List, boolean, String, String)} checks each. */
    Encoding encode(String text, boolean truncate, String prompt, String name) {
        if (text.isEmpty()) {
            // TEI refuses an empty input rather than embedding [CLS] [SEP].
            throw ApiError.validation("`" + name + "` cannot be empty");
        }
        String full = prompt + text;
        Encoding encoding = input.encode(full);
        // Only an encoding that reached the limit may have been cut: measure the whole text only then.
        if (!truncate && encoding.length() >= input.maxLength()) {
            int length = input.tokenizer().encode(full, UNTRUNCATED).length();
            if (length > input.maxLength()) {
                throw ApiError.validation("`" + name + "` must have at most " + input.maxLength()
                        + " tokens (the max input length). Given: " + length
                        + ". Send \"truncate\": true to cut it instead");
            }
        }
        return encoding;
    }
}
