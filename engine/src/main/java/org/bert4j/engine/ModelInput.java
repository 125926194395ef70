package org.bert4j.engine;

import org.bert4j.folder.BertConfig;
import org.bert4j.folder.SentenceTransformerConfig;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.bert4j.tokenizer.Truncation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way from text to model input: tokenise, truncate to the maximum length, pack into a {@link TokenBatch}.
 * The sentence encoder, the task heads and training all go through it, so a text becomes the same tokens whatever
 * reads it.
 *
 * <p>The maximum length counts the special tokens ([CLS], [SEP]). Longer texts are cut as Hugging Face's tokenizer
 * cuts them with {@code truncation=True} ({@code longest_first}: a pair loses tokens from its longer text first).
 * Its default is what sentence-transformers uses: {@code max_seq_length} from {@code sentence_bert_config.json},
 * else the tokenizer's {@code model_max_length}; never more than the model's {@code max_position_embeddings}.
 */
public final class ModelInput {

    private final BertTokenizer tokenizer;
    private final int maxLength;
    private final EncodeOptions options;

    private ModelInput(BertTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.options = EncodeOptions.defaults().withMaxLength(maxLength).withTruncation(Truncation.LONGEST_FIRST);
    }

    /**
     * The input of {@code model} (its folder's tokenizer), truncating at {@code maxLength} tokens, or at the folder's
     * default when it is 0. A length outside [2, max_position_embeddings] is an error naming both bounds.
     */
    public static ModelInput of(BertModel model, int maxLength) throws IOException {
        BertConfig config = model.config();
        int length = maxLength == 0 ? defaultMaxLength(model.modelDir(), model.tokenizer(), config) : maxLength;
        if (length < 2 || length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("max length must be in [2, " + config.maxPositionEmbeddings()
                    + "] (2 = [CLS] and [SEP]; the upper bound is the model's max_position_embeddings), got " + length);
        }
        return new ModelInput(model.tokenizer(), length);
    }

    /**
     * The length sentence-transformers truncates at for a model folder: {@code max_seq_length} of its
     * {@code sentence_bert_config.json} when present (256 for all-MiniLM-L6-v2), else the tokenizer's
     * {@code model_max_length}, at most {@code max_position_embeddings}.
     */
    public static int defaultMaxLength(Path modelDir, BertTokenizer tokenizer, BertConfig config) throws IOException {
        int declared = SentenceTransformerConfig.readMaxSeqLength(modelDir).orElse(tokenizer.modelMaxLength());
        return Math.min(declared, config.maxPositionEmbeddings());
    }

    /** One text with its special tokens, truncated. */
    public Encoding encode(String text) {
        return tokenizer.encode(text, options);
    }

    /** Two texts as one input, [CLS] A [SEP] B [SEP] with token types 0 and 1, truncated longest first. */
    public Encoding encodePair(String first, String second) {
        return tokenizer.encodePair(first, second, options);
    }

    /** Encoded texts packed end to end into one batch. */
    public TokenBatch pack(List<Encoding> encodings) {
        return TokenBatch.of(encodings);
    }

    /** Texts tokenised, truncated and packed into one batch. */
    public TokenBatch batch(List<String> texts) {
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) {
            encodings.add(encode(text));
        }
        return pack(encodings);
    }

    /** The most tokens a text keeps, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    /** The tokenizer. */
    public BertTokenizer tokenizer() {
        return tokenizer;
    }
}
