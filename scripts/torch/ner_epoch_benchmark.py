#!/usr/bin/python3
"""PyTorch speed peer for bert4j's fine-tuning on short sentences: token classification (NER) through
all-MiniLM-L6-v2, every parameter trained, as `bert4j train --unfreeze all` does on a CoNLL file.

Reads the token count of each sentence (one integer per line, [CLS] and [SEP] included: what
`bert4j tokenize --input sentences.txt` gives), shuffles them (seed 0), and trains through them once in
batches of 32, each padded to its longest sentence (Hugging Face's DataCollatorForTokenClassification),
dropout on, a linear head of 9 BIO tags, cross-entropy over the real tokens, AdamW lr 1e-4 with 10% warm-up
and linear decay (the issue's yardstick setting). Token ids are random (the time of a step does not depend on
them). Prints the epoch's wall time and real (unpadded) and padded tokens per second.

  OPENBLAS_CORETYPE=Cooperlake /usr/bin/python3 scripts/torch/ner_epoch_benchmark.py LENGTHS [--threads 2]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_reference as br  # noqa: E402
import make_fixtures as mf  # noqa: E402
import safetensors_io as st  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lengths")
    ap.add_argument("--minilm", default=mf.DEFAULT_MINILM)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--tags", type=int, default=9)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    lengths = [int(x) for x in open(args.lengths) if x.strip()]
    if not lengths or min(lengths) < 2:
        sys.exit("%s: expected one token count >= 2 per line" % args.lengths)

    config = br.BertConfig.from_json_file(os.path.join(args.minilm, "config.json"))
    weights = {k: torch.from_numpy(v) for k, v in st.load(os.path.join(args.minilm, "model.safetensors")).items()
               if not k.endswith("position_ids")}
    model = br.BertModel(config, with_pooler="pooler.dense.weight" in weights)
    model.load_state_dict(weights, strict=True)
    head = torch.nn.Linear(config.hidden_size, args.tags)
    model.train()
    head.train()
    named = list(model.named_parameters()) + [("classifier." + n, p) for n, p in head.named_parameters()]
    decay = [p for n, p in named if not mf.is_no_decay(n)]
    no_decay = [p for n, p in named if mf.is_no_decay(n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
    g = np.random.Generator(np.random.PCG64(0))
    order = g.permutation(len(lengths))
    batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
    warmup = max(1, len(batches) // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (len(batches) - s) / (len(batches) - warmup)))

    real = padded = 0
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    for b in batches:
        lens = [lengths[i] for i in b]
        width = max(lens)
        ids = torch.from_numpy(g.integers(1000, 30000, size=(len(b), width))).long()
        mask = torch.zeros(len(b), width, dtype=torch.long)
        for r, n in enumerate(lens):
            mask[r, :n] = 1
        labels = torch.from_numpy(g.integers(0, args.tags, size=(len(b), width))).long()
        labels[mask == 0] = -100
        opt.zero_grad(set_to_none=True)
        hidden, _ = model(ids, torch.zeros_like(ids), mask)
        loss = torch.nn.functional.cross_entropy(head(hidden).reshape(-1, args.tags), labels.reshape(-1),
                                                 ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in named], 1.0)
        opt.step()
        sched.step()
        real += sum(lens)
        padded += len(b) * width
    wall = time.perf_counter() - t0
    print("torch %s, %d threads, %d sentences in %d batches of %d, dropout on" % (
        torch.__version__, args.threads, len(lengths), len(batches), args.batch))
    print("epoch %.1f s: %.0f real tokens/s (%d tokens), %.0f padded tokens/s (%d, x%.2f)" % (
        wall, real / wall, real, padded / wall, padded, padded / real))
    print("1-min load average at start %.2f, at end %.2f" % (load0, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
