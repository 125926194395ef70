#!/usr/bin/python3
"""PyTorch speed peer for bert4j's training step: all-MiniLM-L6-v2 (the reference model of
bert_reference.py, float32) + a mean-pooling linear classifier, batch 32 x 128 tokens.

One step = zero_grad, forward, cross-entropy, backward, AdamW over ALL parameters (backbone, dense
word-embedding gradient as nn.Embedding gives by default, and the head; the HF Trainer's two
parameter groups, weight decay 0.01). No gradient clipping.

  /usr/bin/python3 scripts/torch/train_step_benchmark.py [--threads 2] [--warmup 3] [--steps 10]
                                                          [--dropout] [--minilm DIR]

Dropout is OFF by default (model.eval(), like the fixtures); --dropout trains with the config's
probabilities (0.1). Prints median ms per training step, median ms of a forward pass alone (under
torch.no_grad(), same batch) and tokens/s of the training step. Every sequence is 128 real tokens
([CLS] + 126 seeded random ids in [1000, 30000) + [SEP]); attention mask all ones.
"""
import argparse
import os
import statistics
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
    ap.add_argument("--minilm", default=mf.DEFAULT_MINILM)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--dropout", action="store_true", help="train with dropout on (default off)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    config = br.BertConfig.from_json_file(os.path.join(args.minilm, "config.json"))
    weights = {k: torch.from_numpy(v) for k, v in st.load(os.path.join(args.minilm, "model.safetensors")).items()
               if not k.endswith("position_ids")}
    model = br.BertModel(config, with_pooler="pooler.dense.weight" in weights)
    model.load_state_dict(weights, strict=True)
    head = torch.nn.Linear(config.hidden_size, 5)
    model.train(args.dropout)
    head.train(args.dropout)

    g = np.random.Generator(np.random.PCG64(7))
    ids = g.integers(1000, 30000, size=(args.batch, args.seq))
    ids[:, 0], ids[:, -1] = 101, 102
    input_ids = torch.from_numpy(ids).long()
    token_type_ids = torch.zeros_like(input_ids)
    mask = torch.ones_like(input_ids)
    labels = torch.from_numpy(g.integers(0, 5, size=args.batch)).long()

    named = list(model.named_parameters()) + [("classifier." + n, p) for n, p in head.named_parameters()]
    decay = [p for n, p in named if not mf.is_no_decay(n)]
    no_decay = [p for n, p in named if mf.is_no_decay(n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-5, betas=(0.9, 0.999), eps=1e-8)

    def train_step():
        opt.zero_grad(set_to_none=True)
        hidden, _ = model(input_ids, token_type_ids, mask)
        loss = torch.nn.functional.cross_entropy(head(br.mean_pool(hidden, mask)), labels)
        loss.backward()
        opt.step()
        return loss.item()

    def forward_only():
        with torch.no_grad():
            hidden, _ = model(input_ids, token_type_ids, mask)
            return head(br.mean_pool(hidden, mask)).sum().item()

    cpu = {}

    def timed(fn, n):
        out, cpu_ms = [], []
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            out.append((time.perf_counter() - t0) * 1000.0)
            cpu_ms.append((time.process_time() - c0) * 1000.0)
        cpu[fn.__name__] = statistics.median(cpu_ms)
        return out

    def gemm_gflops():
        """A calibration: one MiniLM-sized sgemm (4096x384 by 384x1536), best of 10, in GFLOP/s."""
        a, w = torch.randn(4096, 384), torch.randn(1536, 384)
        best = float("inf")
        for _ in range(12):
            t0 = time.perf_counter()
            torch.nn.functional.linear(a, w)
            best = min(best, time.perf_counter() - t0)
        return 2.0 * 4096 * 384 * 1536 / best / 1e9

    load0 = os.getloadavg()[0]
    gemm0 = gemm_gflops()
    timed(train_step, args.warmup)
    step_ms = timed(train_step, args.steps)
    timed(forward_only, 2)
    fwd_ms = timed(forward_only, args.steps)
    tokens = args.batch * args.seq
    med = statistics.median(step_ms)
    print("torch %s, %d threads, batch %d x %d, dropout %s, %d warm-up + %d timed steps"
          % (torch.__version__, args.threads, args.batch, args.seq, "on" if args.dropout else "off",
             args.warmup, args.steps))
    print("train step (fwd+bwd+AdamW) median %.0f ms  [min %.0f, max %.0f]  %.0f tokens/s  (process CPU %.0f ms)"
          % (med, min(step_ms), max(step_ms), tokens / med * 1000.0, cpu["train_step"]))
    fmed = statistics.median(fwd_ms)
    print("forward only (no_grad)     median %.0f ms  [min %.0f, max %.0f]  %.0f tokens/s  (process CPU %.0f ms)"
          % (fmed, min(fwd_ms), max(fwd_ms), tokens / fmed * 1000.0, cpu["forward_only"]))
    print("1-min load average at start %.2f, at end %.2f (other processes on the machine skew the figures)"
          % (load0, os.getloadavg()[0]))
    print("calibration sgemm 4096x384x1536: %.0f GFLOP/s before, %.0f after" % (gemm0, gemm_gflops()))


if __name__ == "__main__":
    main()
