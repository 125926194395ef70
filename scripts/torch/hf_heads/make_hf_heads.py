#!/usr/bin/python3
"""Writes tiny Hugging Face task checkpoints and their PyTorch outputs, the oracle of bert4j's pretrained heads.

  /usr/bin/python3 scripts/torch/hf_heads/make_hf_heads.py [--out DIR]

Plain PyTorch (Debian's python3-torch 1.13), no transformers: the modules below are modeling_bert.py's, with its
class and attribute names, so model.state_dict() has exactly the parameter names a transformers checkpoint has
(bert.embeddings.word_embeddings.weight, bert.encoder.layer.0.attention.self.query.weight, bert.pooler.dense.weight,
classifier.weight, ...). Four folders, each with config.json (id2label, label2id, problem_type, architectures as
transformers writes them), vocab.txt, tokenizer_config.json and the weights:

  seq-cls/      BertForSequenceClassification, 3 labels, no problem_type (softmax), pytorch_model.bin with the
                bert.embeddings.position_ids buffer that transformers 4.x saved
  multi-label/  BertForSequenceClassification, 4 labels, problem_type multi_label_classification (sigmoid)
  token-cls/    BertForTokenClassification (no pooler), BIO tags listed out of order in id2label
  cross-encoder/ BertForSequenceClassification, 1 label, saved as model.safetensors, with the
                sbert_ce_default_activation_function (Identity) that cross-encoder/ms-marco-MiniLM-L-6-v2 declares

and expected.json beside each: the texts, their token ids (from the small tokenizer below, which does what
BertTokenizer does for these ASCII texts), and the logits PyTorch computes. Deterministic: one torch.Generator per
model with a fixed seed, one thread. The files are committed as test resources so the build needs no torch.
"""
import argparse
import collections
import json
import math
import os
import struct

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DEFAULT_OUT = os.path.join(REPO, "heads", "src", "test", "resources", "hf-heads")

HIDDEN, LAYERS, HEADS, INTERMEDIATE, POSITIONS = 32, 2, 4, 64, 64
MODEL_MAX_LENGTH = 24  # tokenizer_config.json: the long texts below are truncated, pairs longest first

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "!", "?", "'", "-",
         "the", "a", "an", "and", "but", "it", "was", "is", "are", "in", "to", "of", "at", "on", "for", "with", "all",
         "he", "then", "movie", "film", "plot", "acting", "story", "great", "terrible", "boring", "fine", "good", "bad",
         "not", "very", "really", "john", "mary", "smith", "lives", "live", "lived", "went", "visited", "where",
         "does", "who", "new", "york", "paris", "london", "berlin", "works", "acme", "bank", "wash", "amster",
         "##ing", "##ton", "##dam", "##son", "##s", "##ly"]

CLASSIFY_TEXTS = [
    "The movie was great!",
    "A terrible, boring film.",
    "It was fine, but the plot was really bad.",
    "Zebra movies are not good",
    "the story was great and the acting was very good but the plot was boring and the film was really not good at all",
]
NER_TEXTS = [
    "John Smith lives in New York.",
    "Mary Johnson visited Washington and Amsterdam.",
    "The Acme bank works in Paris, London and Berlin.",
    "where does john live?",
]
QUERY = "Where does John live?"
DOCUMENTS = [
    "John Smith lives in New York.",
    "Mary went to London.",
    "The movie was great!",
    "John lived in Paris and then in London and Berlin and he works for the Acme bank in New York and Washington.",
]


# ---- tokenizer: BertTokenizer's basic split and greedy WordPiece, enough for the ASCII texts above ----

def basic_tokens(text):
    words = []
    for chunk in text.lower().split():
        word = ""
        for ch in chunk:
            if is_punctuation(ch):
                if word:
                    words.append(word)
                words.append(ch)
                word = ""
            else:
                word += ch
        if word:
            words.append(word)
    return words


def is_punctuation(ch):
    cp = ord(ch)
    return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126


def wordpiece(word, vocab):
    pieces, start = [], 0
    while start < len(word):
        end, piece = len(word), None
        while start < end:
            candidate = ("##" if start > 0 else "") + word[start:end]
            if candidate in vocab:
                piece = candidate
                break
            end -= 1
        if piece is None:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def token_ids(text, vocab):
    return [vocab[p] for w in basic_tokens(text) for p in wordpiece(w, vocab)]


def encode(text, vocab):
    ids = token_ids(text, vocab)[:MODEL_MAX_LENGTH - 2]
    return [vocab["[CLS]"]] + ids + [vocab["[SEP]"]], [0] * (len(ids) + 2)


def encode_pair(first, second, vocab):
    a, b = token_ids(first, vocab), token_ids(second, vocab)
    # truncation="longest_first": one token at a time from the longer text, from the second on a tie
    while len(a) + len(b) > MODEL_MAX_LENGTH - 3:
        if len(a) > len(b):
            a.pop()
        else:
            b.pop()
    ids = [vocab["[CLS]"]] + a + [vocab["[SEP]"]] + b + [vocab["[SEP]"]]
    return ids, [0] * (len(a) + 2) + [1] * (len(b) + 1)


# ---- modeling_bert.py, eval mode (dropout is the identity), one unpadded sequence at a time ----

class BertEmbeddings(nn.Module):
    def __init__(self, with_position_ids):
        super().__init__()
        self.word_embeddings = nn.Embedding(len(VOCAB), HIDDEN, padding_idx=0)
        self.position_embeddings = nn.Embedding(POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)
        if with_position_ids:
            self.register_buffer("position_ids", torch.arange(POSITIONS).expand((1, -1)))

    def forward(self, ids, types):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(ids) + self.token_type_embeddings(types) + self.position_embeddings(positions)
        return self.LayerNorm(x)


class BertSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, h):
        def heads(x):
            return x.view(x.shape[0], x.shape[1], HEADS, HIDDEN // HEADS).permute(0, 2, 1, 3)
        q, k, v = heads(self.query(h)), heads(self.key(h)), heads(self.value(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HIDDEN // HEADS)
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        return context.permute(0, 2, 1, 3).reshape(h.shape)


class BertSelfOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class BertAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.self = BertSelfAttention()
        self.output = BertSelfOutput()

    def forward(self, h):
        return self.output(self.self(h), h)


class BertIntermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, INTERMEDIATE)

    def forward(self, h):
        return nn.functional.gelu(self.dense(h))  # hidden_act "gelu": the exact erf form


class BertOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(INTERMEDIATE, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class BertLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = BertAttention()
        self.intermediate = BertIntermediate()
        self.output = BertOutput()

    def forward(self, h):
        a = self.attention(h)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer() for _ in range(LAYERS)])

    def forward(self, h):
        for layer in self.layer:
            h = layer(h)
        return h


class BertPooler(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, h):
        return torch.tanh(self.dense(h[:, 0]))


class BertModel(nn.Module):
    def __init__(self, add_pooling_layer, with_position_ids=False):
        super().__init__()
        self.embeddings = BertEmbeddings(with_position_ids)
        self.encoder = BertEncoder()
        self.pooler = BertPooler() if add_pooling_layer else None

    def forward(self, ids, types):
        h = self.encoder(self.embeddings(ids, types))
        return h, (self.pooler(h) if self.pooler is not None else None)


class BertForSequenceClassification(nn.Module):
    def __init__(self, num_labels, with_position_ids=False):
        super().__init__()
        self.bert = BertModel(add_pooling_layer=True, with_position_ids=with_position_ids)
        self.classifier = nn.Linear(HIDDEN, num_labels)

    def forward(self, ids, types):
        return self.classifier(self.bert(ids, types)[1])  # pooled output → dropout → classifier


class BertForTokenClassification(nn.Module):
    def __init__(self, num_labels):
        super().__init__()
        self.bert = BertModel(add_pooling_layer=False)
        self.classifier = nn.Linear(HIDDEN, num_labels)

    def forward(self, ids, types):
        return self.classifier(self.bert(ids, types)[0])  # every token's last hidden state → classifier


def randomise(model, seed, classifier_std):
    """Weights far from transformers' N(0, 0.02²) start, so the outputs differ visibly between texts and labels."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                # small: a large offset shared by every token vector would decide every label alike
                p.copy_(0.02 * torch.randn(p.shape, generator=g))
            elif name.startswith("classifier.weight"):
                p.copy_(classifier_std * torch.randn(p.shape, generator=g))
            elif "embeddings" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
    return model.eval()


def run(model, ids, types):
    with torch.no_grad():
        return model(torch.tensor([ids]), torch.tensor([types]))[0]


def require_margin(logits, what):
    """The arg-max must not hinge on rounding: its margin over the runner-up well above the test tolerance."""
    top = torch.topk(logits, 2).values
    if float(top[0] - top[1]) < 1e-3:
        raise SystemExit("%s: the top two logits are %.2e apart; pick another seed" % (what, float(top[0] - top[1])))


def config(architecture, labels, problem_type=None, extra=None):
    c = collections.OrderedDict()
    c["architectures"] = [architecture]
    c["attention_probs_dropout_prob"] = 0.1
    c["classifier_dropout"] = None
    c["hidden_act"] = "gelu"
    c["hidden_dropout_prob"] = 0.1
    c["hidden_size"] = HIDDEN
    c["id2label"] = {str(i): label for i, label in enumerate(labels)}
    c["initializer_range"] = 0.02
    c["intermediate_size"] = INTERMEDIATE
    c["label2id"] = {label: i for i, label in enumerate(labels)}
    c["layer_norm_eps"] = 1e-12
    c["max_position_embeddings"] = POSITIONS
    c["model_type"] = "bert"
    c["num_attention_heads"] = HEADS
    c["num_hidden_layers"] = LAYERS
    c["pad_token_id"] = 0
    c["position_embedding_type"] = "absolute"
    if problem_type is not None:
        c["problem_type"] = problem_type
    c["torch_dtype"] = "float32"
    c["transformers_version"] = "4.26.1"
    c["type_vocab_size"] = 2
    c["use_cache"] = True
    c["vocab_size"] = len(VOCAB)
    for k, v in (extra or {}).items():
        c[k] = v
    return c


def write_folder(out, name, model_config, state_dict, safetensors=False):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(model_config, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "model_max_length": MODEL_MAX_LENGTH, "tokenizer_class": "BertTokenizer"},
                  f, indent=2)
        f.write("\n")
    for stale in ("pytorch_model.bin", "model.safetensors"):
        if os.path.exists(os.path.join(folder, stale)):
            os.remove(os.path.join(folder, stale))
    if safetensors:
        write_safetensors(os.path.join(folder, "model.safetensors"), state_dict)
    else:
        torch.save(state_dict, os.path.join(folder, "pytorch_model.bin"))
    return folder


def write_safetensors(path, state_dict):
    """The safetensors layout (8-byte header length, JSON header, raw little-endian data), F32 tensors only."""
    header, blobs, offset = {}, [], 0
    for name, t in state_dict.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def write_expected(folder, expected):
    """One example a line, so a diff of a regenerated fixture shows which example changed."""
    lines = []
    for key, value in expected.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join("  " + json.dumps(v) for v in value)
            lines.append(" %s: [\n%s\n ]" % (json.dumps(key), rows))
        else:
            lines.append(" %s: %s" % (json.dumps(key), json.dumps(value)))
    with open(os.path.join(folder, "expected.json"), "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def floats(t):
    return [float(x) for x in t.reshape(-1)]


def sequence_classification(out, vocab, name, labels, problem_type, seed):
    model = randomise(BertForSequenceClassification(len(labels), with_position_ids=problem_type is None), seed, 1.0)
    folder = write_folder(out, name, config("BertForSequenceClassification", labels, problem_type), model.state_dict())
    examples = []
    for text in CLASSIFY_TEXTS:
        ids, types = encode(text, vocab)
        logits = run(model, ids, types)
        require_margin(logits, name + ": " + text)
        scores = torch.sigmoid(logits) if problem_type == "multi_label_classification" else torch.softmax(logits, -1)
        examples.append({"text": text, "input_ids": ids, "token_type_ids": types, "logits": floats(logits),
                         "scores": floats(scores)})
    write_expected(folder, {"labels": labels, "function_to_apply": "sigmoid" if problem_type else "softmax",
                            "examples": examples})


def token_classification(out, vocab, seed):
    labels = ["B-LOC", "O", "I-PER", "B-PER", "I-LOC", "B-ORG", "I-ORG"]  # transformers keeps id2label's order
    model = randomise(BertForTokenClassification(len(labels)), seed, 0.5)
    with torch.no_grad():
        # Random weights rarely pick an I- tag: favour them, so entities span several words and grouping is tested.
        model.classifier.bias[[labels.index("I-PER"), labels.index("I-LOC"), labels.index("I-ORG")]] += 2.5
    folder = write_folder(out, "token-cls", config("BertForTokenClassification", labels), model.state_dict())
    examples = []
    for text in NER_TEXTS:
        ids, types = encode(text, vocab)
        logits = run(model, ids, types)
        for t in range(logits.shape[0]):
            require_margin(logits[t], "token-cls: token %d of %s" % (t, text))
        examples.append({"text": text, "input_ids": ids, "token_type_ids": types,
                         "logits": [floats(row) for row in logits]})
    write_expected(folder, {"labels": labels, "examples": examples})


def cross_encoder(out, vocab, seed):
    model = randomise(BertForSequenceClassification(1), seed, 1.0)
    extra = {"sbert_ce_default_activation_function": "torch.nn.modules.linear.Identity"}
    folder = write_folder(out, "cross-encoder", config("BertForSequenceClassification", ["LABEL_0"], None, extra),
                          model.state_dict(), safetensors=True)
    pairs = []
    for document in DOCUMENTS:
        ids, types = encode_pair(QUERY, document, vocab)
        logit = float(run(model, ids, types)[0])
        pairs.append({"query": QUERY, "document": document, "input_ids": ids, "token_type_ids": types,
                      "logit": logit, "sigmoid": 1 / (1 + math.exp(-logit))})
    write_expected(folder, {"activation": "torch.nn.modules.linear.Identity", "pairs": pairs})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(1)
    vocab = {token: i for i, token in enumerate(VOCAB)}
    sequence_classification(args.out, vocab, "seq-cls", ["negative", "neutral", "positive"], None, 11)
    sequence_classification(args.out, vocab, "multi-label", ["acting", "plot", "music", "story"],
                            "multi_label_classification", 12)
    token_classification(args.out, vocab, 13)
    cross_encoder(args.out, vocab, 14)
    print("wrote", args.out, "with torch", torch.__version__)


if __name__ == "__main__":
    main()
