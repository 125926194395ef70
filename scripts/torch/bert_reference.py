"""BERT in plain torch.nn, with Hugging Face's module and parameter names.

This mirrors transformers' BertModel (absolute positions, post-LayerNorm encoder) closely enough
that a state dict of a BertModel loads here as is (strict, apart from the optional pooler):

  embeddings.{word,position,token_type}_embeddings.weight, embeddings.LayerNorm.{weight,bias}
  encoder.layer.{i}.attention.self.{query,key,value}.{weight,bias}
  encoder.layer.{i}.attention.output.dense.{weight,bias}
  encoder.layer.{i}.attention.output.LayerNorm.{weight,bias}
  encoder.layer.{i}.intermediate.dense.{weight,bias}
  encoder.layer.{i}.output.dense.{weight,bias}
  encoder.layer.{i}.output.LayerNorm.{weight,bias}
  pooler.dense.{weight,bias}                      (only when with_pooler)

Also the pooling functions (as sentence-transformers) and the small classification heads the
fixtures use. Nothing here downloads anything.
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertConfig:
    def __init__(self, vocab_size, hidden_size, num_hidden_layers, num_attention_heads,
                 intermediate_size, max_position_embeddings=512, type_vocab_size=2,
                 hidden_act="gelu", layer_norm_eps=1e-12, hidden_dropout_prob=0.1,
                 attention_probs_dropout_prob=0.1, pad_token_id=0, initializer_range=0.02,
                 **_ignored):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.hidden_act = hidden_act
        self.layer_norm_eps = layer_norm_eps
        self.hidden_dropout_prob = hidden_dropout_prob
        self.attention_probs_dropout_prob = attention_probs_dropout_prob
        self.pad_token_id = pad_token_id
        self.initializer_range = initializer_range

    @staticmethod
    def from_json_file(path):
        with open(path) as f:
            return BertConfig(**json.load(f))

    def to_hf_dict(self):
        """The config.json a Hugging Face BertModel would write (the keys that matter)."""
        return {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": self.vocab_size,
            "hidden_size": self.hidden_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "intermediate_size": self.intermediate_size,
            "hidden_act": self.hidden_act,
            "hidden_dropout_prob": self.hidden_dropout_prob,
            "attention_probs_dropout_prob": self.attention_probs_dropout_prob,
            "max_position_embeddings": self.max_position_embeddings,
            "type_vocab_size": self.type_vocab_size,
            "initializer_range": self.initializer_range,
            "layer_norm_eps": self.layer_norm_eps,
            "pad_token_id": self.pad_token_id,
            "position_embedding_type": "absolute",
        }


def gelu_exact(x):
    """hidden_act "gelu": 0.5 x (1 + erf(x / sqrt 2)) (torch's F.gelu, approximate='none')."""
    return F.gelu(x)


def gelu_new(x):
    """hidden_act "gelu_new": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as HF's NewGELUActivation."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


ACTIVATIONS = {"gelu": gelu_exact, "gelu_new": gelu_new}


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        # Positions 0..len-1 for every row (right padding: real tokens come first).
        seq_len = input_ids.shape[1]
        position_ids = torch.arange(seq_len, device=input_ids.device).unsqueeze(0)
        # Same order of addition as HF: (word + token_type) + position.
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c.num_attention_heads
        self.attention_head_size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def _split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.num_attention_heads, self.attention_head_size).permute(0, 2, 1, 3)

    def forward(self, hidden, extended_mask):
        q = self._split(self.query(hidden))
        k = self._split(self.key(hidden))
        v = self._split(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2))
        scores = scores / math.sqrt(self.attention_head_size)
        scores = scores + extended_mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        b, t = ctx.shape[:2]
        return ctx.view(b, t, self.num_attention_heads * self.attention_head_size)


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dropout(self.dense(hidden)) + residual)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, hidden, extended_mask):
        return self.output(self.self(hidden, extended_mask), hidden)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)
        self.act = ACTIVATIONS[c.hidden_act]

    def forward(self, hidden):
        return self.act(self.dense(hidden))


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dropout(self.dense(hidden)) + residual)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, hidden, extended_mask):
        a = self.attention(hidden, extended_mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, hidden, extended_mask):
        for layer in self.layer:
            hidden = layer(hidden, extended_mask)
        return hidden


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))


def extended_attention_mask(attention_mask, dtype):
    """HF's additive mask: (1 - mask)[:, None, None, :] * finfo(dtype).min, shape [B, 1, 1, T].

    Masks keys only: padded query rows still attend to the real keys, so the hidden states at
    padded positions are finite and well defined (they are in hidden.last)."""
    m = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - m) * torch.finfo(dtype).min


class BertModel(nn.Module):
    def __init__(self, config, with_pooler=True):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.encoder = BertEncoder(config)
        self.pooler = BertPooler(config) if with_pooler else None

    def forward(self, input_ids, token_type_ids, attention_mask):
        """Returns (last hidden state [B, T, H], pooler output [B, H] or None)."""
        dtype = self.embeddings.word_embeddings.weight.dtype
        mask = extended_attention_mask(attention_mask, dtype)
        hidden = self.encoder(self.embeddings(input_ids, token_type_ids), mask)
        pooled = self.pooler(hidden) if self.pooler is not None else None
        return hidden, pooled


# ---- pooling, exactly as sentence-transformers' Pooling module -------------------------------

def mean_pool(hidden, attention_mask):
    """Sum of the real tokens' states / their count (the count clamped at 1e-9)."""
    m = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def max_pool(hidden, attention_mask):
    """Max over the real tokens per feature: padded states are replaced by -1e9 first."""
    m = attention_mask.unsqueeze(-1).expand(hidden.shape)
    return hidden.masked_fill(m == 0, -1e9).max(dim=1).values


def cls_pool(hidden, attention_mask=None):
    """The first token's state (no pooler)."""
    return hidden[:, 0]


class Heads(nn.Module):
    """The classification heads of the fixtures; names as in heads.safetensors."""

    def __init__(self, hidden_size, num_classes, num_tags, which):
        super().__init__()
        for name in which:
            out = num_tags if name == "token_classifier" else num_classes
            setattr(self, name, nn.Linear(hidden_size, out))


def head_loss(name, heads, hidden, pooled, batch):
    """One single-head scenario's loss from the backbone's outputs."""
    mask = batch["attention_mask"]
    if name == "mean":
        return F.cross_entropy(heads.mean_classifier(mean_pool(hidden, mask)), batch["labels"])
    if name == "cls":
        return F.cross_entropy(heads.cls_classifier(cls_pool(hidden, mask)), batch["labels"])
    if name == "max":
        return F.cross_entropy(heads.max_classifier(max_pool(hidden, mask)), batch["labels"])
    if name == "pooler":
        # BertForSequenceClassification: pooler output -> (dropout) -> classifier.
        return F.cross_entropy(heads.pooler_classifier(pooled), batch["labels"])
    if name == "ner":
        logits = heads.token_classifier(hidden)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["token_labels"].reshape(-1),
                               ignore_index=-100)
    raise ValueError(name)


def scenario_loss(name, model, heads, batch):
    """One scenario's loss (see README): one forward pass of the backbone, then the head(s).
    batch: dict of tensors input_ids, token_type_ids, attention_mask [B, T], labels [B],
    token_labels [B, T]. "joint" is mean + ner on the same forward pass."""
    hidden, pooled = model(batch["input_ids"], batch["token_type_ids"], batch["attention_mask"])
    if name == "joint":
        return head_loss("mean", heads, hidden, pooled, batch) + head_loss("ner", heads, hidden, pooled, batch)
    return head_loss(name, heads, hidden, pooled, batch)


SCENARIO_HEADS = {
    "mean": ["mean_classifier"],
    "cls": ["cls_classifier"],
    "max": ["max_classifier"],
    "pooler": ["pooler_classifier"],
    "ner": ["token_classifier"],
    "joint": ["mean_classifier", "token_classifier"],
}
