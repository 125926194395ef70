#!/usr/bin/python3
"""Writes the torch-saved checkpoints that the converter's Hugging Face leniency tests read (HfLeniencyTest).

Run with Debian's python3-torch (no transformers needed, none is installed here), from the repository root:
    /usr/bin/python3 scripts/make-torch-hf-leniency-fixtures.py
The modules below mirror transformers' BertForTokenClassification (modeling_bert.py) name for name, so the state
dict torch.save writes is the one `model.save_pretrained(..., safe_serialization=False)` writes for a tiny config
(transformers < 4.31 also saved the position_ids buffer, as here). Two folders under
weights-converter/src/test/resources/torch/:
  token_classification_405_vocab/  vocab.txt lists 405 tokens, vocab_size and the embedding matrix have 402 rows;
  tf_layernorm_names/              the same weights under TensorFlow-era names (LayerNorm.gamma/beta), with the
                                   masked-LM head (cls.predictions.*) of a BertForPreTraining checkpoint, no pooler.
"""
import collections
import json
import os

import torch
from torch import nn

H, HEADS, I, V, P, LABELS = 8, 2, 16, 402, 16, ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "weights-converter/src/test/resources/torch")


class Embeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(V, H, padding_idx=0)
        self.position_embeddings = nn.Embedding(P, H)
        self.token_type_embeddings = nn.Embedding(2, H)
        self.LayerNorm = nn.LayerNorm(H, eps=1e-12)
        self.register_buffer("position_ids", torch.arange(P).expand((1, -1)))


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(H, H), nn.Linear(H, H), nn.Linear(H, H)


class DenseNorm(nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.dense = nn.Linear(n_in, H)
        self.LayerNorm = nn.LayerNorm(H, eps=1e-12)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.self = SelfAttention()
        self.output = DenseNorm(H)


class Intermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(H, I)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = Attention()
        self.intermediate = Intermediate()
        self.output = DenseNorm(I)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([Layer(), Layer()])


class Bert(nn.Module):  # BertModel(config, add_pooling_layer=False), as BertForTokenClassification builds it
    def __init__(self):
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()


class BertForTokenClassification(nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = Bert()
        self.classifier = nn.Linear(H, len(LABELS))


torch.manual_seed(20)
model = BertForTokenClassification()
for p in model.parameters():  # trained-looking values rather than the default init's
    nn.init.normal_(p, std=0.5)
config = collections.OrderedDict(
    _name_or_path="tiny-bert-ner", architectures=["BertForTokenClassification"], attention_probs_dropout_prob=0.1,
    classifier_dropout=None, hidden_act="gelu", hidden_dropout_prob=0.1, hidden_size=H,
    id2label={str(i): l for i, l in enumerate(LABELS)}, initializer_range=0.02, intermediate_size=I,
    label2id={l: i for i, l in enumerate(LABELS)}, layer_norm_eps=1e-12, max_position_embeddings=P, model_type="bert",
    num_attention_heads=HEADS, num_hidden_layers=2, pad_token_id=0, position_embedding_type="absolute",
    torch_dtype="float32", transformers_version="4.30.2", type_vocab_size=2, use_cache=True, vocab_size=V)
words = ["the", "cat", "sat", "on", "mat", "paris", "london", "alice", "bob", "in", "is", "a", "##s", "##ing", ".", ","]
vocab = ["[PAD]"] + ["[unused%d]" % i for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
vocab += words + ["w%d" % i for i in range(V - len(vocab) - len(words))]
assert len(vocab) == V
tokenizer_config = {"do_lower_case": True, "model_max_length": P, "tokenizer_class": "BertTokenizer"}


def folder(name, state_dict, vocab_lines, cfg):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    torch.save(state_dict, os.path.join(d, "pytorch_model.bin"))
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(d, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab_lines) + "\n")
    with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
        json.dump(tokenizer_config, f, indent=2)


# The tokenizer grew by three words after the model was trained: ids 402..404 have no embedding row.
folder("token_classification_405_vocab", model.state_dict(), vocab + ["quokka", "wombat", "##roo"], config)

tf_names = collections.OrderedDict()
for k, v in model.state_dict().items():
    if k.startswith("classifier."):
        continue
    k = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
    tf_names[k] = v
tf_names["cls.predictions.bias"] = torch.zeros(V)
tf_names["cls.predictions.transform.dense.weight"] = torch.randn(H, H)
tf_names["cls.predictions.transform.dense.bias"] = torch.randn(H)
tf_names["cls.predictions.transform.LayerNorm.gamma"] = torch.ones(H)
tf_names["cls.predictions.transform.LayerNorm.beta"] = torch.zeros(H)
pretraining = collections.OrderedDict(config, architectures=["BertForPreTraining"])
for k in ["id2label", "label2id"]:
    del pretraining[k]
folder("tf_layernorm_names", tf_names, vocab, pretraining)
print("torch", torch.__version__)
