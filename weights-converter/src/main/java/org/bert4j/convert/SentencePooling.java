package org.bert4j.convert;

/**
 * The sentence-transformers head of an embedding model: pooling, whether vectors are L2-normalised
 * (the {@code 2_Normalize} module), and the sequence length the model was trained with
 * ({@code sentence_bert_config.json}'s max_seq_length; 0 when unknown).
 */
public record SentencePooling(PoolingMode mode, boolean normalize, int maxSeqLength) {}
