#!/usr/bin/python3
"""Writes a tiny random BERT with a pooler as ONNX, for the parity test of the pooler output against onnxruntime.

  /usr/bin/python3 scripts/torch/make_pooler_onnx.py [--out DIR]

None of the bundled ONNX graphs (the langchain4j jars) has a pooler output, so nothing checked bert4j's pooler against
an independent runtime. This builds bert_reference.BertModel (plain torch.nn, Hugging Face's parameter names, with
pooler) at hidden 32, 2 layers, 4 heads, vocabulary 100, and exports it with torch.onnx.export (torch's own ONNX
serializer: no onnx package needed) with two outputs, last_hidden_state [B, T, 32] and pooler_output [B, 32], and
dynamic batch and sequence axes. Into parity/src/test/resources/torch/pooler/ (about 110 KB):

  model.onnx               the graph; inputs input_ids, attention_mask, token_type_ids (int64 [B, T])
  vocab.txt                100 tokens: [PAD] [UNK] [CLS] [SEP] [MASK] and 95 made-up words, so the converter finds
                           a tokenizer beside the graph (the test feeds ids, not text)
  tokenizer_config.json    do_lower_case, model_max_length 64
  config.json              what the graph computes, for a reader (the converter reads the graph, not this)

Weights: one PCG64 stream (seed 3001) in state_dict order: LayerNorm weights 1 + 0.1 N, every bias 0.1 N, everything
else 0.2 N (so the pooler's tanh works in its curved range, neither linear nor saturated). Self-checks (asserted): the
float32 model agrees with the same weights in float64 to 1e-5 on a padded batch, and the padded batch agrees with
each sequence run alone. Deterministic: two runs give the same weights; the .onnx bytes depend on torch's exporter
(written here by Debian's torch 1.13.1).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_reference as br  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "parity", "src", "test", "resources", "torch", "pooler")
SEED = 3001
CONFIG = dict(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
              max_position_embeddings=64, type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12,
              hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, pad_token_id=0, initializer_range=0.02)


class ExportedBert(br.BertModel):
    """The reference model with HF's input order (input_ids, attention_mask, token_type_ids) and both outputs, as
    optimum exports BertModel; a subclass, not a wrapper, so parameter names keep no extra prefix."""

    def forward(self, input_ids, attention_mask, token_type_ids):
        return super().forward(input_ids, token_type_ids, attention_mask)


def random_weights(model):
    rng = np.random.Generator(np.random.PCG64(SEED))
    with torch.no_grad():
        for name, p in model.state_dict().items():
            shape = tuple(p.shape)
            if "LayerNorm.weight" in name:
                values = 1.0 + 0.1 * rng.standard_normal(shape)
            elif name.endswith(".bias"):
                values = 0.1 * rng.standard_normal(shape)
            else:
                values = 0.2 * rng.standard_normal(shape)
            p.copy_(torch.from_numpy(values.astype(np.float32)))


def sample_batch():
    """3 sequences of lengths 9, 17, 4, right-padded; the second has type 1 on its last 6 tokens."""
    rng = np.random.Generator(np.random.PCG64(SEED + 1))
    lengths = [9, 17, 4]
    t = max(lengths)
    ids = np.zeros((3, t), dtype=np.int64)
    types = np.zeros((3, t), dtype=np.int64)
    mask = np.zeros((3, t), dtype=np.int64)
    for s, n in enumerate(lengths):
        ids[s, :n] = [2] + list(rng.integers(5, 100, n - 2)) + [3]
        mask[s, :n] = 1
    types[1, 11:17] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types), lengths


def self_check(model):
    ids, mask, types, lengths = sample_batch()
    with torch.no_grad():
        hidden, pooled = model(ids, mask, types)
        wide = ExportedBert(model.config, with_pooler=True).double().eval()
        wide.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
        hidden64, pooled64 = wide(ids, mask, types)
        for s, n in enumerate(lengths):
            dh = (hidden[s, :n].double() - hidden64[s, :n]).abs().max().item()
            dp = (pooled[s].double() - pooled64[s]).abs().max().item()
            assert dh < 1e-5 and dp < 1e-5, (s, dh, dp)
            alone_h, alone_p = model(ids[s:s + 1, :n], mask[s:s + 1, :n], types[s:s + 1, :n])
            assert (alone_h[0] - hidden[s, :n]).abs().max().item() < 1e-5
            assert (alone_p[0] - pooled[s]).abs().max().item() < 1e-5
        saturated = (pooled64.abs() > 0.99).double().mean().item()
        assert 0.0 < pooled64.abs().mean().item() < 0.9 and saturated < 0.2, (pooled64.abs().mean(), saturated)
    print("self-check: float32 vs float64 |dh|, |dpool| < 1e-5; padded batch = sequences alone; "
          f"pooler mean |value| {pooled64.abs().mean().item():.3f}, saturated (>0.99) {saturated:.1%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    config = br.BertConfig(**CONFIG)
    model = ExportedBert(config, with_pooler=True).eval()
    random_weights(model)
    self_check(model)

    os.makedirs(args.out, exist_ok=True)
    ids, mask, types, _ = sample_batch()
    torch.onnx.export(model, (ids, mask, types), os.path.join(args.out, "model.onnx"),
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state", "pooler_output"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "token_type_ids": {0: "batch", 1: "sequence"},
                                    "last_hidden_state": {0: "batch", 1: "sequence"},
                                    "pooler_output": {0: "batch"}},
                      opset_version=14, do_constant_folding=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"word{i}" for i in range(5, CONFIG["vocab_size"])]
    with open(os.path.join(args.out, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    with open(os.path.join(args.out, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "model_max_length": CONFIG["max_position_embeddings"],
                   "tokenizer_class": "BertTokenizer"}, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config.to_hf_dict(), f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote", args.out, sorted(os.listdir(args.out)),
          os.path.getsize(os.path.join(args.out, "model.onnx")), "bytes of ONNX")


if __name__ == "__main__":
    main()
