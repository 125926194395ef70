package org.bert4j.convert;

import org.bert4j.folder.BertConfig;
import java.util.List;
import java.util.Map;
import org.bert4j.safetensors.Tensor;

/**
 * What an importer extracts from a checkpoint: the weights under Hugging Face names (Linear weights
 * [out, in]), the hyper-parameters, and string metadata recorded in the safetensors header.
 */
record ImportedModel(List<Tensor> tensors, BertConfig settings, Map<String, String> metadata) {}
