"""Shared timing for the PyTorch references: warm-up, then repetitions of enough iterations."""
import json
import sys
import time

import torch


def run(iterate, reps, min_ms=300):
    iterate()
    t = time.perf_counter()
    iterate()
    first = (time.perf_counter() - t) * 1000
    for _ in range(2):
        iterate()
    inner = max(1, min(1000, int(min_ms / max(first, 0.01)) + 1))
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            iterate()
        out.append((time.perf_counter() - t) * 1000 / inner)
    print(json.dumps({"ms": out, "torch": torch.__version__, "threads": torch.get_num_threads()}))


def args():
    return json.loads(sys.argv[1])
