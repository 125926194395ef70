#!/usr/bin/python3
"""Extra checks of the reference, beyond the ones make_fixtures.py asserts on every run.

  /usr/bin/python3 scripts/torch/selfcheck.py [--full-gradcheck] [--bert4j-embeddings FILE.jsonl]

1. The committed fixtures read back equal to a fresh computation (the reader and writer agree).
2. --full-gradcheck: torch.autograd.gradcheck, exact (not fast) mode, over EVERY parameter of the
   tiny model and the heads for scenario joint and pooler (finite differences per element; ~1 min).
3. --bert4j-embeddings: the reference's MiniLM mean pooling (float64) against bert4j's own forward
   pass, the JSONL that
     ./bert4j embed --no-normalize --threads 2 TEXT1 TEXT2 TEXT3 TEXT4 > FILE.jsonl
   prints for make_fixtures.MINILM_TEXTS. An independent check that the reference's BERT is the one
   the Java engine implements (names, GELU, mask, LayerNorm, positions).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_reference as br  # noqa: E402
import make_fixtures as mf  # noqa: E402
import safetensors_io as st  # noqa: E402


def read_back(out):
    d = os.path.join(out, "tiny")
    config = br.BertConfig.from_json_file(os.path.join(d, "config.json"))
    weights = st.load(os.path.join(d, "model.safetensors"))
    heads = st.load(os.path.join(d, "heads.safetensors"))
    with open(os.path.join(d, "batch.json")) as f:
        batch = json.load(f)
    expected = st.load(os.path.join(d, "expected.safetensors"))
    fresh, _, _ = mf.tiny_expected(config, weights, heads, batch, mf.TINY_SCENARIOS)
    assert set(fresh) == set(expected), set(fresh) ^ set(expected)
    for k in fresh:
        assert np.array_equal(fresh[k].numpy(), expected[k]), k
    print("read back: tiny/expected.safetensors equals a fresh computation (%d tensors)" % len(fresh))
    return config, weights, heads, batch


def full_gradcheck(config, weights, heads, batch):
    from torch.nn.utils import stateless
    b = mf.batch_tensors(batch)
    m64, h64 = mf.build(config, weights, heads, torch.float64)
    for s in ["joint", "pooler"]:
        _, grads = mf.scenario_grads(m64, h64, b, s)
        params = dict(mf.named_params(m64, h64))
        names = [n for n in params if n in grads]
        inputs = tuple(params[n].detach().clone().requires_grad_(True) for n in names)

        def f(*xs):
            allp = dict(params)
            allp.update(dict(zip(names, xs)))
            back = {k: v for k, v in allp.items() if k.split(".")[0] not in mf.HEAD_NAMES}
            hidden, pooled = stateless.functional_call(m64, back, (b["input_ids"], b["token_type_ids"],
                                                                    b["attention_mask"]))

            class H:
                pass
            hh = H()
            for hn in mf.HEAD_NAMES:
                w, bias = allp[hn + ".weight"], allp[hn + ".bias"]
                setattr(hh, hn, (lambda w, bias: lambda x: torch.nn.functional.linear(x, w, bias))(w, bias))
            if s == "joint":
                return br.head_loss("mean", hh, hidden, pooled, b) + br.head_loss("ner", hh, hidden, pooled, b)
            return br.head_loss(s, hh, hidden, pooled, b)

        n = sum(x.numel() for x in inputs)
        assert torch.autograd.gradcheck(f, inputs, eps=1e-6, atol=1e-7, rtol=1e-5, fast_mode=False)
        print("full gradcheck %s: exact over %d parameters (%d values) ok" % (s, len(names), n))


def bert4j_cross_check(path, folder):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    ours = np.array([r["embedding"] for r in sorted(rows, key=lambda r: r["index"])], dtype=np.float64)
    config = br.BertConfig.from_json_file(os.path.join(folder, "config.json"))
    weights = {k: v for k, v in st.load(os.path.join(folder, "model.safetensors")).items()
               if not k.endswith("position_ids")}
    batch = mf.make_minilm_batch()
    b = mf.batch_tensors(batch)
    model, _ = mf.build(config, weights, {}, torch.float64, with_pooler="pooler.dense.weight" in weights)
    with torch.no_grad():
        hidden, _ = model(b["input_ids"], b["token_type_ids"], b["attention_mask"])
        ref = br.mean_pool(hidden, b["attention_mask"]).numpy()
    diff = np.abs(ref - ours).max()
    cos = min(float(np.dot(ref[i], ours[i]) / np.linalg.norm(ref[i]) / np.linalg.norm(ours[i]))
              for i in range(len(ref)))
    print("bert4j embed vs reference mean pool (MiniLM): max |diff| %.2e, min cosine %.9f" % (diff, cos))
    assert diff < 1e-4, diff


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=mf.DEFAULT_OUT)
    ap.add_argument("--minilm", default=mf.DEFAULT_MINILM)
    ap.add_argument("--full-gradcheck", action="store_true")
    ap.add_argument("--bert4j-embeddings")
    args = ap.parse_args()
    torch.set_num_threads(1)
    config, weights, heads, batch = read_back(args.out)
    if args.full_gradcheck:
        full_gradcheck(config, weights, heads, batch)
    if args.bert4j_embeddings:
        bert4j_cross_check(args.bert4j_embeddings, args.minilm)


if __name__ == "__main__":
    main()
