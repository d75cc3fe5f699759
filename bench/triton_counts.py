"""Triton backend measures: kernels launched per step and bytes moved against the minimum.

    python bench/triton_counts.py            (uses TRITON_INTERPRET=1 when there is no GPU)
    python bench/triton_counts.py --host     (also: host Python per call, kernels stubbed out)

No GPU is lent to this project's machines, so the lowering's quality is reported as counts: every
kernel launch and every torch op the host code runs (each is a launch on a GPU), and the bytes the
kernels read and write, against the minimum (each input read once, each output written once).
With a CUDA device the script also times the step against torch.compile of the same loss.

--host times what the host does per value-and-grad call with every Triton launch replaced by a
no-op (the launchers, allocation, the host program, the host's torch ops on CPU tensors): Python
work only, which a GPU would add to each step before its kernels run.  On CPU tensors, so the
torch ops are cheaper than on a GPU (no launch latency); torch.matmul products are stubbed too
(an empty result).  Medians of rounds in one run.
"""
from __future__ import annotations

import collections
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))
try:
    import torch
    _cuda = torch.cuda.is_available()
except ImportError:
    sys.exit("needs torch and triton: pip install -e \".[triton]\"")
if not _cuda:
    os.environ.setdefault("TRITON_INTERPRET", "1")
warnings.simplefilter("ignore")

import numpy as np  # noqa: E402

import workloads as W  # noqa: E402
from gpu_bench import softmax_xent, t_xent  # noqa: E402  (the GPU table's cross-entropy and its torch twin)
from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402

def measure(fn, wrt, args, minimum):
    dev = "cuda" if _cuda else "cpu"
    targs = [torch.from_numpy(a).to(dev) if isinstance(a, np.ndarray) else a for a in args]
    f = differentiate(fn, wrt=wrt, backend="triton")
    f.value_and_grad(*targs)
    runtime.STATS.reset()
    with runtime.count_host_ops() as mode:
        f.value_and_grad(*targs)
    stats = runtime.STATS
    stats.stop()
    host_ops = mode.calls
    names = [k for k, _, _ in stats.launches]
    return {"kernels": len(names) - names.count("mm"), "products": names.count("mm"), "host torch ops": host_ops,
            "bytes": stats.bytes, "minimum": minimum, "per kernel": list(stats.launches), "f": f, "targs": targs}


def host_time(r, rounds=15, calls=50):
    """Median µs per call of the host work with the Triton launches stubbed out (see --host)."""
    f, targs = r["f"], r["targs"]
    low = f._triton._last
    real = low.module.launch if hasattr(low.module, "launch") else None

    def stub(kernel, grid, args, consts):
        # partials hold sums and label flags the host reads: zeros, as a kernel would leave them
        for a in args:
            if isinstance(a, torch.Tensor) and a.ndim == 2 and a.dtype.is_floating_point and a.shape[1] <= 8:
                a.zero_()
    real_mm = getattr(low.module, "mm", None)
    low.module.launch = stub
    low.module.mm = lambda a, b: a.new_empty(tuple(a.shape[:-1]) + tuple(b.shape[1:]))  # a @ b's shape
    try:
        f.value_and_grad(*targs)
        ts = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            for _ in range(calls):
                f.value_and_grad(*targs)
            ts.append((time.perf_counter() - t0) / calls)
        return float(np.median(ts)) * 1e6
    finally:
        if real is not None:
            low.module.launch = real
        if real_mm is not None:
            low.module.mm = real_mm


def rows():
    out = []
    mlp = W.mlp_data(np.float32)
    minimum = sum(a.nbytes for a in mlp) + mlp[0].nbytes + mlp[1].nbytes
    out.append(("two-layer network step (float32, 64x1000x100x10)", measure(W.mlp_loss, ("W1", "W2"), mlp, minimum)))
    x = np.random.default_rng(0).standard_normal(1_000_000).astype(np.float32)
    out.append(("sum(tanh(x)*sigmoid(x)+exp(-x**2)) value+grad, 1e6 float32",
                measure(W.elementwise, "x", (x,), 2 * x.nbytes)))
    # the GPU table's 4096x50257 is too big for the interpreter; the kernels do not depend on M, and
    # N only sets how many column blocks a row takes
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((256, 2048)).astype(np.float32)
    labels = rng.integers(0, 2048, 256)
    out.append(("softmax cross-entropy value+grad (float32 logits 256x2048, int64 labels)",
                measure(softmax_xent, "logits", (logits, labels), 2 * logits.nbytes + labels.nbytes)))
    rnn = W.rnn_data()  # T=50 steps, H=32, D=16, float64
    out.append(("RNN value+grad (float64, 50 steps, H=32, D=16)", measure(W.rnn, ("W", "U"), rnn,
                                                                       sum(a.nbytes for a in rnn) + rnn[0].nbytes
                                                                       + rnn[1].nbytes)))
    return out


def markdown():
    lines = ["| workload | Triton kernels | torch.matmul products | host torch ops | launches in all | bytes moved "
             "| ÷ minimum |", "|---|---:|---:|---:|---:|---:|---:|"]
    details = []
    host = []
    for title, r in rows():
        if "--host" in sys.argv:
            host.append(f"| {title} | {host_time(r):.1f} µs |")
        total = r["kernels"] + r["products"] + len(r["host torch ops"])
        ops = collections.Counter(r["host torch ops"])  # in order of first use
        lines.append(f"| {title} | {r['kernels']} | {r['products']} | {len(r['host torch ops'])} "
                     f"({', '.join(n if c == 1 else f'{n} ×{c}' for n, c in ops.items())}) | "
                     f"{total} | {r['bytes'] / 1e6:.2f} MB | {r['bytes'] / r['minimum']:.2f}× |")
        launches = collections.Counter(r["per kernel"])  # a loop launches the same kernel once a step
        for (name, read, written), n in launches.items():
            times = f" ({n} launches)" if n > 1 else ""
            details.append(f"- {title}: `{name}`{times} reads {read / 1e3:.1f} kB, writes {written / 1e3:.1f} kB"
                           + (" each" if n > 1 else ""))
        if _cuda:
            lines.append(f"| {title}: s2sgrad Triton vs torch.compile | {time_vs_compile(r)} | | | | | |")
    text = "\n".join(lines) + "\n\n" + "\n".join(details)
    if host:
        text += ("\n\nHost Python per value-and-grad call, Triton launches stubbed out (CPU tensors; median of 15 "
                 "rounds of 50 calls):\n\n| workload | host time per call |\n|---|---:|\n" + "\n".join(host))
    return text


def torch_mlp(W1, W2, X, y):
    return torch.square(torch.clamp(X @ W1, min=0) @ W2 - y).sum()


def torch_elementwise(x):
    return torch.sum(torch.tanh(x) * torch.sigmoid(x) + torch.exp(-x ** 2))


def torch_rnn(W, U, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = torch.tanh(W @ h + U @ xs[t])
    return torch.sum(h ** 2)


TORCH_TWINS = {"mlp_loss": torch_mlp, "elementwise": torch_elementwise, "softmax_xent": t_xent, "rnn": torch_rnn}


def time_vs_compile(r, sync=None):
    """Median step time of the Triton backend and of torch.compile(grad_and_value) of the same loss."""
    f, targs = r["f"], r["targs"]
    twin = TORCH_TWINS[f.__wrapped_py__.__name__]
    argnums = tuple(f._params.index(w) for w in f.wrt)
    compiled = torch.compile(torch.func.grad_and_value(twin, argnums=argnums if len(argnums) > 1 else argnums[0]))
    sync = sync or (torch.cuda.synchronize if _cuda else (lambda: None))

    def t(fn):
        for _ in range(3):
            fn()
        sync()
        ts = []
        for _ in range(20):
            s = time.perf_counter()
            fn()
            sync()
            ts.append(time.perf_counter() - s)
        return float(np.median(ts))
    a = t(lambda: f.value_and_grad(*targs))
    b = t(lambda: compiled(*targs))
    return f"{a * 1e6:.1f} µs vs {b * 1e6:.1f} µs"


if __name__ == "__main__":
    mode = "GPU" if _cuda else "Triton interpreter on the CPU (no GPU here)"
    print(f"Triton backend measures ({mode}):\n")
    print(markdown())
