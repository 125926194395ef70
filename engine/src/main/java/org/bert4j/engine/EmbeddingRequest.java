package org.bert4j.engine;

/**
 * How one {@link SentenceEncoder#encode(java.util.List, EmbeddingRequest)} call turns texts into vectors, the
 * arguments of sentence-transformers' {@code encode}: a prompt, a Matryoshka truncation and a final normalisation.
 *
 * <p>The order is sentence-transformers': the prompt is prepended to each text (and counts towards the maximum
 * length); the model's own modules run (pooling, and its Normalize module when the folder has one); the vector is cut
 * to its first {@code truncateDim} values; then, if {@code normalizeEmbeddings}, scaled to unit length. So a model
 * with a Normalize module gives truncated vectors that are no longer unit vectors unless {@code normalizeEmbeddings}
 * is set, exactly as {@code encode(truncate_dim=…)} does.
 *
 * @param prompt              text prepended to every input ({@code prompt=}); null for none; wins over a name
 * @param promptName          a key of the model's prompts ({@code prompt_name=}, e.g. "query"); null for none
 * @param truncateDim         keep the first this many values ({@code truncate_dim=}); 0 keeps them all
 * @param normalizeEmbeddings L2-normalise after truncation ({@code normalize_embeddings=})
 */
public record EmbeddingRequest(String prompt, String promptName, int truncateDim, boolean normalizeEmbeddings) {

    /** Checks the fields. */
    public EmbeddingRequest {
        if (prompt != null && promptName != null) {
            // sentence-transformers warns and ignores the name; a request naming both is a mistake to report.
            throw new IllegalArgumentException("give a prompt or a prompt name, not both (prompt \"" + prompt
                    + "\", prompt name \"" + promptName + "\")");
        }
        if (truncateDim < 0) {
            throw new IllegalArgumentException("truncateDim must be 0 (keep every dimension) or positive, got " + truncateDim);
        }
    }

    /** The model's default prompt (if its folder names one), every dimension, no extra normalisation. */
    public static EmbeddingRequest defaults() {
        return new EmbeddingRequest(null, null, 0, false);
    }

    /** A copy prepending {@code prompt} (e.g. "query: ") to every text, in place of any prompt name. */
    public EmbeddingRequest withPrompt(String prompt) {
        return new EmbeddingRequest(prompt, null, truncateDim, normalizeEmbeddings);
    }

    /** A copy using the model's prompt of that name (e.g. "query"), in place of any explicit prompt. */
    public EmbeddingRequest withPromptName(String promptName) {
        return new EmbeddingRequest(null, promptName, truncateDim, normalizeEmbeddings);
    }

    /** A copy keeping the first {@code truncateDim} values of each vector (0: all). */
    public EmbeddingRequest withTruncateDim(int truncateDim) {
        return new EmbeddingRequest(prompt, promptName, truncateDim, normalizeEmbeddings);
    }

    /** A copy that does or does not L2-normalise the (truncated) vectors. */
    public EmbeddingRequest withNormalizeEmbeddings(boolean normalizeEmbeddings) {
        return new EmbeddingRequest(prompt, promptName, truncateDim, normalizeEmbeddings);
    }

    /** Whether the request names a prompt, by text or by name. */
    public boolean hasPrompt() {
        return prompt != null || promptName != null;
    }
}
