package org.bert4j.tokenizer;

/**
 * The components a tokenizer is assembled from, one per section of Hugging Face's tokenizer.json.
 *
 * @param vocabulary     the model's tokens plus the added tokens
 * @param model          the WordPiece model
 * @param normalizer     the normalizer (all steps off when tokenizer.json has none)
 * @param addedTokens    the added tokens matched in the raw text
 * @param postProcessor  the special-token template
 * @param decoder        the decoder, or null to join tokens with spaces
 * @param padId          the padding token's id, or -1 if there is none
 * @param padTypeId      the padding tokens' type id
 * @param modelMaxLength the longest input the model accepts, in tokens
 */
record TokenizerParts(Vocabulary vocabulary, WordPiece model, BertNormalizer normalizer, AddedTokens addedTokens,
                      TemplateProcessing postProcessor, WordPieceDecoder decoder, int padId, int padTypeId,
                      int modelMaxLength) {

    TokenizerParts withModelMaxLength(int value) {
        return new TokenizerParts(vocabulary, model, normalizer, addedTokens, postProcessor, decoder, padId,
                padTypeId, value);
    }
}
