"""GPU rows of the benchmark (issue 13): s2sgrad's Triton backend, plain and with its whole step
captured as a CUDA graph (s2sgrad.triton.options.cuda_graphs), against torch eager, torch.compile
(Inductor forward, AOTAutograd backward) and jax.jit(jax.value_and_grad), float32, value and
gradient per step, wall clock.

    python bench/gpu_bench.py [--out bench/RESULTS.md] [--only ce,ew1e8]   (on a CUDA machine)
    python bench/gpu_bench.py --dry-run        (no GPU: tiny sizes in Triton's interpreter, checks
                                                every row's gradient against torch; no timing)

Each row: every implementation's gradient is first checked against torch eager's (a mismatch is
reported, not timed); the first call is timed alone (compilation included); then the steps are
timed interleaved (round-robin over the implementations, so drift hits all alike), each sample a
batch of calls ended by torch.cuda.synchronize() (jax: block_until_ready), medians reported.
TF32 is off on every side (torch's default; s2sgrad follows it; JAX is asked for "highest"), except
in the _tf32 row, where it is allowed on every side.
bench/gpu.sh runs this on a device machine and writes the table into bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))
# JAX otherwise takes 75% of the GPU's memory at its first use, and torch's rows run out of it
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
DRY = "--dry-run" in sys.argv
if DRY:
    os.environ["TRITON_INTERPRET"] = "1"  # before triton is imported
warnings.simplefilter("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402

import workloads as W  # noqa: E402
from s2sgrad import differentiate  # noqa: E402

TITLE = "## GPU: Triton backend against torch and JAX (bench/gpu_bench.py)"


def softmax_xent(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    return -np.mean(log_probs[np.arange(n), labels])


# ------------------------------------------------------------------ the same losses in torch
def t_mlp(W1, W2, X, y):
    return (torch.relu(X @ W1) @ W2 - y).square().sum()


def t_elementwise(x):
    return (torch.tanh(x) * (1 / (1 + torch.exp(-x))) + torch.exp(-x ** 2)).sum()


def t_xent(logits, labels):
    z = logits - logits.amax(dim=1, keepdim=True)
    log_probs = z - torch.log(torch.exp(z).sum(dim=1, keepdim=True))
    return -log_probs[torch.arange(logits.shape[0], device=logits.device), labels].mean()


def t_rnn_cell(Wm, U, h, x):
    return torch.tanh(Wm @ h + U @ x)


def t_rnn(Wm, U, xs, h0, cell=t_rnn_cell):
    h = h0
    for t in range(xs.shape[0]):
        h = cell(Wm, U, h, xs[t])
    return (h ** 2).sum()


def rows(dry):
    """(key, label, numpy loss, torch loss, wrt, arrays, minimum bytes per step or None)."""
    rng = np.random.default_rng(0)

    def f32(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)
    big = (64, 128, 64, 16) if dry else (8192, 4096, 4096, 1024)
    seed = (8, 40, 24, 10) if dry else (64, 1000, 100, 10)
    ce = (4, 3000) if dry else (4096, 50257)
    out = []
    for key, (B, D, H, C) in (("mlp", seed), ("mlp_big", big), ("mlp_big_tf32", big)):
        label = f"two-layer net {B}x{D}x{H}x{C} f32" + (", TF32 allowed" if key.endswith("_tf32") else "")
        out.append((key, label, W.mlp_loss, t_mlp, (0, 1), [f32(D, H, scale=D ** -0.5), f32(H, C, scale=H ** -0.5),
                                                           f32(B, D), f32(B, C)], None))
    for n in ((1000,) if dry else (10 ** 6, 10 ** 8)):
        out.append((f"ew{n:.0e}".replace("+0", ""), f"elementwise value+grad {n:.0e} f32", W.elementwise, t_elementwise,
                    0, [f32(n)], 8 * n))
    M, N = ce
    out.append(("ce", f"softmax cross-entropy {M}x{N} f32", softmax_xent, t_xent, 0,
                [f32(M, N), rng.integers(0, N, M)], 8 * M * N))
    Wr, U, xs, h0 = W.rnn_data()
    out.append(("rnn", f"RNN T={xs.shape[0]} H={Wr.shape[0]} f32", W.rnn, t_rnn, (0, 1),
                [a.astype(np.float32) for a in (Wr, U, xs, h0)], None))
    if not dry:  # last: between 1e6 (host-bound) and 1e8 (bandwidth-bound) it tells the least
        out.append(("ew1e7", "elementwise value+grad 1e+07 f32", W.elementwise, t_elementwise, 0, [f32(10 ** 7)],
                    8 * 10 ** 7))
    return out


# ------------------------------------------------------------------ implementations of one row
GRAPH = "s2sgrad (triton, CUDA graph)"


def graph_step(fn, wrt, targs, dry):
    """s2sgrad with options.cuda_graphs on for its calls only (captured at the first call, replayed
    after).  In the dry run graphs.RerunCapture stands in for the CUDA graph (no GPU): the planning
    is checked, not the capture."""
    from s2sgrad.triton import graphs, runtime
    if dry:
        graphs.CAPTURE["cls"] = graphs.RerunCapture
    f = differentiate(fn, wrt=wrt, backend="triton")

    def step():
        runtime.OPTIONS.cuda_graphs = True
        try:
            return f.value_and_grad(*targs)
        finally:
            runtime.OPTIONS.cuda_graphs = False
    return step


def torch_step(tloss, wrt, targs, compiled):
    idx = wrt if isinstance(wrt, tuple) else (wrt,)
    if compiled and tloss is t_rnn:
        # the cell compiled, the loop in Python: torch.compile of the whole loop unrolls its 50 steps
        # (it ran past the run's time cap on 2026-11-28 before a single step)
        cell = torch.compile(t_rnn_cell)
        loss = lambda *a: t_rnn(*a, cell=cell)  # noqa: E731
    else:
        loss = torch.compile(tloss) if compiled else tloss
    params = [targs[i].detach().clone().requires_grad_(True) for i in idx]

    def step():
        full = list(targs)
        for i, p in zip(idx, params):
            full[i] = p
        v = loss(*full)
        return v, torch.autograd.grad(v, params)
    return step


def jax_step(fn, wrt, args):
    import jax
    import jax.numpy as jnp
    from run import rebind  # run.py turns on JAX x64 mode: float32 inputs stay float32
    jf = rebind(fn, jnp)
    jargs = [jax.device_put(a) for a in args]
    g = jax.jit(jax.value_and_grad(jf, argnums=wrt))
    return lambda: jax.block_until_ready(g(*jargs))


def _to_np(r):
    v, g = r
    g = g if isinstance(g, (tuple, list)) else (g,)
    conv = [np.asarray(x.detach().cpu().numpy() if hasattr(x, "detach") else x, np.float64) for x in g]
    return float(v.detach().cpu() if hasattr(v, "detach") else v), conv


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _batch(fn, n):
    _sync()
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    _sync()
    return (time.perf_counter() - t0) / n


def measure_row(row, dry, rounds=7, min_sample=0.05):
    """One row, with TF32 allowed on every side for a row whose key ends in _tf32 (torch's switch,
    which s2sgrad follows, and JAX's default precision), and off again after it."""
    tf32 = row[0].endswith("_tf32")
    torch.backends.cuda.matmul.allow_tf32 = tf32
    try:
        import jax
        jax.config.update("jax_default_matmul_precision", "default" if tf32 else "highest")
    except ImportError:
        pass
    try:
        return _measure_row(row, dry, rounds, min_sample)
    finally:
        torch.backends.cuda.matmul.allow_tf32 = False


def _measure_row(row, dry, rounds, min_sample):
    key, label, fn, tloss, wrt, args, minimum = row
    dev = "cpu" if dry else "cuda"
    targs = [torch.from_numpy(a).to(dev) for a in args]
    s2 = differentiate(fn, wrt=wrt, backend="triton")
    impls = {"s2sgrad (triton)": lambda: s2.value_and_grad(*targs),
             GRAPH: graph_step(fn, wrt, targs, dry),
             "torch eager": torch_step(tloss, wrt, targs, compiled=False)}
    if not dry:  # (on a CPU, Inductor would need a C++ toolchain: left out of the dry run)
        impls["torch.compile"] = torch_step(tloss, wrt, targs, compiled=True)
    try:
        import jax
        if dry or any(d.platform == "gpu" for d in jax.devices()):
            impls["jax.jit"] = jax_step(fn, wrt, args)
    except ImportError:
        pass
    except Exception as e:  # reported, not fatal
        print(f"  jax skipped: {type(e).__name__}: {e}")
    first, results, notes = {}, {}, []
    compile_s = {}
    ref = None
    # TF32 rounds the products' inputs to 10-bit mantissas: sides agree to ~1e-2 there, ~1e-5 in fp32
    tol = 3e-2 if key.endswith("_tf32") else 1e-3
    from s2sgrad.triton import fastlaunch
    for name, step in impls.items():
        jit0 = dict(fastlaunch.JIT)
        t0 = time.perf_counter()
        try:
            r = step()
            _sync()
        except Exception as e:
            notes.append(f"{name} failed: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
            continue
        first[name] = time.perf_counter() - t0
        if name == "s2sgrad (triton)":  # Triton's own path: compiling (or loading) each kernel
            compile_s[name] = (fastlaunch.JIT["seconds"] - jit0["seconds"], fastlaunch.JIT["launches"] - jit0["launches"])
        v, g = _to_np(r)
        if ref is None:
            ref = (v, g)
        elif not (np.isclose(v, ref[0], rtol=tol) and all(
                np.allclose(a, b, rtol=tol, atol=tol * (1 + np.abs(b).max())) for a, b in zip(g, ref[1]))):
            notes.append(f"{name}: gradient differs from {next(iter(impls))}'s (not timed)")
            continue
        results[name] = step
    if dry:
        return key, label, {n: None for n in results}, first, notes, minimum
    reps = {}
    for name, step in results.items():
        n = 1
        while _batch(step, n) * n < min_sample and n < 4096:
            n *= 2
        reps[name] = n
    samples = {name: [] for name in results}
    for _ in range(rounds):
        for name, step in results.items():
            samples[name].append(_batch(step, reps[name]))
    for name, (secs, n) in compile_s.items():
        if name in first:
            notes.append(f"{name}: first call {fmt(first[name])}, of which {fmt(secs)} in Triton's launch path "
                         f"({n} launches: compiling each kernel)")
    if PROFILE and "s2sgrad (triton)" in results:
        profile_step(label, results["s2sgrad (triton)"])
    if FLAT_SWEEP and key.startswith("ew") and minimum and minimum >= 8 * 10 ** 8:  # (1e8: 2**24 and more)
        notes += sweep(fn, wrt, targs, minimum, rounds, min_sample, "FLAT", FLAT_CONFIGS)
    if (FLAT_SWEEP or SHORT_SWEEP) and key == "ce":
        notes += sweep(fn, wrt, targs, minimum, rounds, min_sample, "ROWS",
                       ROWS_CONFIGS if FLAT_SWEEP else ROWS_CONFIGS_SHORT)
    return key, label, {n: statistics.median(v) for n, v in samples.items()}, first, notes, minimum


PROFILE = "--profile" in sys.argv


def profile_step(label, step, n=5):
    """Where one s2sgrad step's time goes on the device: the kernels and torch ops of n steps by
    device time (torch.profiler), so that the next change can aim at the largest."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        for _ in range(n):
            step()
        _sync()
    avgs = prof.key_averages()
    for sort in ("device_time_total", "cuda_time_total"):
        try:
            print(f"--- profile of {n} s2sgrad steps: {label}\n" + avgs.table(sort_by=sort, row_limit=14), flush=True)
            return
        except Exception:
            continue


FLAT_SWEEP = "--flat-sweep" in sys.argv
SHORT_SWEEP = "--short-sweep" in sys.argv  # the cross-entropy's ROWS_CONFIGS_SHORT only
# runtime.FLAT settings for the 1e8 elementwise row: BLOCK (max_block and big_block), num_warps,
# blocks per program (iters)
FLAT_CONFIGS = [dict(max_block=b, big_block=b, num_warps=w, iters=i)
                for b, w, i in [(1024, None, 8), (2048, None, 1), (1024, None, 4), (1024, None, 16), (2048, None, 2)]]
# runtime.ROWS settings for the cross-entropy row: the tile a program walks a row with, num_warps,
# persistent programs per multiprocessor (None: one per row block), reuse (False: the second pass
# walks the row as the first; "partial_first": its partial block first), store (the gradient's
# stores: an eviction policy or a cache modifier), align (whole blocks from each row's 16-byte
# boundary: vector loads and stores at an odd width such as 50257) and recip (a row's divisions as
# one reciprocal a row).  The rows' "wide" settings are off in the sweep, so that each config is
# what every rows kernel runs.  Timed on the H200 before (bench/RESULTS.md): 8192 x 32 warps,
# persistent 1, reuse False 0.773 ms (row 2 here: the anchor between runs); evict_last/backwards
# hints and 1024-wide or 4 persistent programs lost.  Compiled offline for sm_90 (Triton 3.9):
# every row below has no spills (16384 x 32 spills 320 bytes).  maxnreg 64 (registers a thread)
# lets two 16-warp or four 8-warp programs share a multiprocessor (4096 x 16 took 82 without, so
# two did not fit): one program's reductions and label loads between passes are then hidden behind
# the other's streaming, but twice the rows are in flight (53 MB, about the L2).  Persistent 0.5
# (half the multiprocessors, 13 MB in flight) asks whether the L2 is what the second read misses
ROWS_CONFIGS = [dict(tile=t, num_warps=w, persistent=p, reuse=r, store=st, align=al, recip=rc, maxnreg=mr, split=False,
                    wide=None)
                for t, w, p, r, st, al, rc, mr in
                [(8192, 32, 1, "partial_first", None, False, False, None), (8192, 32, 1, False, None, False, False, None),
                 (8192, 32, 1, "partial_first", None, False, True, None), (8192, 32, 1, "partial_first", None, True, True, None),
                 (8192, 32, 1, False, None, True, True, None), (8192, 16, 1, "partial_first", None, True, True, None),
                 (8192, 32, 1, "partial_first", "evict_first", True, True, None),
                 (4096, 16, 2, "partial_first", None, True, True, 64), (2048, 8, 4, "partial_first", None, True, True, 64),
                 (8192, 32, 1, "partial_first", ".cs", True, True, None),
                 (8192, 32, 0.5, "partial_first", None, True, True, None)]]


# after the sweep above chose the wide default (4096 x 16 warps, two programs a multiprocessor at
# 64 registers): the previous one with align and recip, four programs of 8 warps, and one program
# a row block (not persistent) at 64 registers -- whether walking rows matters once several
# programs share a multiprocessor
# Then split rows (ROWS["split"], rowsplit.py): K programs a row, one block each, the row read
# once (1.65 GB a step instead of 2.47) at the cost of an exchange and a wait a row; compiled for
# sm_90 without spills at each setting below and its register cap (8192 x 32 warps at 64: one
# program a multiprocessor; 4096 x 16 at 64: two; 4096 x 8 at 128: two; 2048 x 4 at 128: four;
# 1024 x 4 at 64: eight; 16384 x 32 spilled 56 bytes, 16384 x 16 at 128 440) -- the cap is what
# splitgrid.split_capacity counts programs a multiprocessor by (without one it assumes the most a
# thread can have, safe but few programs).  Never timed on a GPU when written (2026-11-30: no
# device that session): the first run decides.
ROWS_CONFIGS_SHORT = [dict(tile=t, num_warps=w, persistent=p, reuse="partial_first", store=None, align=True, recip=True,
                           maxnreg=mr, split=sp, wide=None)
                      for t, w, p, mr, sp in [(4096, 16, None, 64, False), (8192, 32, None, 64, True),
                                              (4096, 16, None, 64, True), (4096, 8, None, 128, True),
                                              (2048, 4, None, 128, True), (1024, 4, None, 64, True)]]


def sweep(fn, wrt, targs, minimum, rounds, min_sample, knob, configs):
    """A row again with other settings of runtime.<knob> (FLAT or ROWS), interleaved, medians:
    what a change of the default would buy, measured before it is made."""
    from s2sgrad.triton import runtime
    table_ = getattr(runtime, knob)
    saved = dict(table_)
    steps, lines = {}, []
    ref = _to_np(differentiate(fn, wrt=wrt, backend="triton").value_and_grad(*targs))  # the default's numbers
    try:
        for i, cfg in enumerate(configs):
            # (said before it compiles: a run stopped at its limit shows how far the sweep got)
            print(f"  {knob} sweep: compiling {i + 1} of {len(configs)}: {cfg}", flush=True)
            table_.update(cfg)
            f = differentiate(fn, wrt=wrt, backend="triton")  # a new plan: its launcher holds the blocks
            try:
                v, g = _to_np(f.value_and_grad(*targs))
                _sync()
            except Exception as e:  # (a setting that does not compile or run: said, not timed)
                lines.append(f"{knob} {configs[i]}: failed: {type(e).__name__}: {str(e).splitlines()[0][:100]}")
                print("  " + lines[-1], flush=True)
                continue
            if not (np.isclose(v, ref[0], rtol=1e-4) and all(
                    np.allclose(a, b, rtol=1e-4, atol=1e-4 * (1 + np.abs(b).max())) for a, b in zip(g, ref[1]))):
                lines.append(f"{knob} {configs[i]}: numbers differ from the default's (not timed)")
                print("  " + lines[-1], flush=True)
                continue
            steps[i] = (lambda f=f: f.value_and_grad(*targs))
    finally:
        table_.clear()
        table_.update(saved)
    samples = {k: [] for k in steps}
    for r in range(rounds):
        for k, step in steps.items():
            n = max(1, int(min_sample / 0.0003))
            samples[k].append(_batch(step, n))
        print(f"  {knob} sweep: round {r + 1} of {rounds}: " + ", ".join(
            f"{k + 1} {fmt(v[-1])}" for k, v in samples.items()), flush=True)
    for k, v in samples.items():
        t = statistics.median(v)
        cfg = ", ".join(f"{a} {b if b is not None else 'default'}" for a, b in configs[k].items())
        lines.append(f"{knob} {cfg}: {fmt(t)}, {minimum / t / 1e12:.2f} TB/s")
        print("  " + lines[-1], flush=True)
    return lines


def prepare():
    """The process set-up every implementation shares, done and timed before any row, so that a
    row's first call measures that function's compilation rather than whichever implementation
    happened to come first in the process: the CUDA context, cuBLAS's handle, Triton's driver
    (it builds its launcher utilities on first use) and JAX's GPU backend."""
    import triton
    import triton.language as tl

    @triton.jit
    def _touch(x_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(x_ptr + offs, tl.load(x_ptr + offs) + 1.0)

    def timed(label, fn):
        t0 = time.perf_counter()
        try:
            fn()
            _sync()
            out[label] = time.perf_counter() - t0
        except Exception as e:  # reported, not fatal
            out[label] = f"failed: {type(e).__name__}"
    out = {}
    timed("CUDA context", lambda: torch.zeros(1, device="cuda"))
    a = torch.ones(64, 64, device="cuda")
    timed("cuBLAS", lambda: a @ a)
    timed("Triton driver and a one-line kernel", lambda: _touch[(1,)](a, BLOCK=64))

    def jax_up():
        import jax
        jax.block_until_ready(jax.jit(lambda v: v + 1.0)(np.float32(1.0)))
    timed("JAX backend and a one-line function", jax_up)
    return out


def check_direct_launches():
    """s2sgrad's direct launches (triton/fastlaunch.py) against Triton's own path, on this machine's
    Triton, before anything is timed: the same kernel on the same input must give the same bits.
    If not (or if it raises), the run goes on with direct launches off and says so."""
    from s2sgrad.triton import fastlaunch
    x = torch.from_numpy(np.random.default_rng(1).standard_normal(100_003).astype(np.float32)).cuda()
    try:
        f = differentiate(W.elementwise, backend="triton")
        direct = [f.value_and_grad(x) for _ in range(3)][-1]  # the first through Triton, then direct
        fastlaunch.ENABLED["on"] = False
        plain = differentiate(W.elementwise, backend="triton").value_and_grad(x)
        fastlaunch.ENABLED["on"] = True
        same = bool(torch.equal(direct[0], plain[0]) and torch.equal(direct[1], plain[1]))
        n = fastlaunch.JIT["kept"]
        if same and n:
            return f"direct launches on (checked bit for bit against Triton's path; {n} kept)"
        why = "results differ" if not same else "no compiled kernel was kept"
    except Exception as e:
        why = f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"
    fastlaunch.ENABLED["on"] = False
    return f"direct launches OFF for this run ({why}): every launch through Triton's JITFunction.run"


def fmt(t):
    return "—" if t is None else (f"{t * 1e3:.3f} ms" if t < 1 else f"{t:.2f} s")


HEADER_NOTES: list = []


def table(results, device):
    names = ["s2sgrad (triton)", GRAPH, "torch eager", "torch.compile", "jax.jit"]
    lines = [TITLE, "", f"Device: {device}; torch {torch.__version__}, triton {_version('triton')}, "
             f"jax {_version('jax')}. float32, TF32 off everywhere but the row that says so; value and gradient per step, wall clock, "
             "median of interleaved batches. ratio: s2sgrad / best peer. first call: compilation included.",
             *(["", *HEADER_NOTES] if HEADER_NOTES else []), "",
             "| workload | " + " | ".join(names) + " | ratio | ratio (graph) | first call s2sgrad / graph / "
             "torch.compile / jax | s2sgrad bandwidth |",
             "|---|" + "---:|" * (len(names) + 4)]
    for key, label, times, first, notes, minimum in results:
        peers = [times[n] for n in names[2:] if times.get(n)]
        s2, s2g = times.get(names[0]), times.get(GRAPH)
        ratio = f"{s2 / min(peers):.2f}×" if s2 and peers else "—"
        gratio = f"{s2g / min(peers):.2f}×" if s2g and peers else "—"
        bw = f"{minimum / s2 / 1e12:.2f} TB/s" if minimum and s2 else ""
        fc = " / ".join(fmt(first.get(n)) for n in (names[0], GRAPH, names[3], names[4]))
        lines.append(f"| {label} | " + " | ".join(fmt(times.get(n)) for n in names)
                     + f" | {ratio} | {gratio} | {fc} | {bw} |")
        lines += [f"|  ↳ {n} | | | | | | | | | |" for n in notes]
    return lines


def _version(mod):
    try:
        return __import__(mod).__version__
    except Exception:
        return "not installed"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="no GPU: tiny sizes in the interpreter, no timing")
    ap.add_argument("--only", help="comma-separated row keys (mlp, mlp_big, mlp_big_tf32, ew1e6, ew1e7, ew1e8, ce, rnn)")
    ap.add_argument("--short-sweep", action="store_true", help="the cross-entropy row with ROWS_CONFIGS_SHORT only")
    ap.add_argument("--flat-sweep", action="store_true", help="the 1e8 elementwise row with other flat blocks/warps/blocks per program, the cross-entropy row with other row tiles/warps")
    ap.add_argument("--profile", action="store_true", help="after each row, s2sgrad's kernels by device time")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"), help="markdown file ('' for none)")
    a = ap.parse_args(argv)
    if not a.dry_run and not torch.cuda.is_available():
        sys.exit("gpu_bench.py needs a CUDA device (or --dry-run)")
    device = "interpreter (dry run)" if a.dry_run else torch.cuda.get_device_name(0)
    todo = [r for r in rows(a.dry_run) if not a.only or r[0] in a.only.split(",")]
    results = []
    if not a.dry_run:
        setup = ", ".join(f"{k} {fmt(v) if isinstance(v, float) else v}" for k, v in prepare().items())
        print("process set-up (before any row): " + setup, flush=True)
        direct = check_direct_launches()
        print(direct, flush=True)
        # (the first letter only: str.capitalize lowered "Triton's" in the H200 run's table)
        HEADER_NOTES[:] = [f"Process set-up, timed once before the rows (not in any first call): {setup}.",
                           direct[:1].upper() + direct[1:] + "."]
    for i, row in enumerate(todo):
        print(f"{row[1]} ...", flush=True)
        results.append(measure_row(row, a.dry_run))
        key, label, times, first, notes, _ = results[-1]
        print("  " + ", ".join(f"{n} {fmt(t)} (first {fmt(first.get(n))})" for n, t in times.items()), flush=True)
        for n in notes:
            print("  " + n, flush=True)
        if a.out and not a.dry_run:  # after every row: a run stopped at its time limit keeps what it measured
            lines = table(results, device)
            if i + 1 < len(todo):
                lines += ["", f"(partial: {len(todo) - i - 1} rows still to measure when this was written)"]
            from run import replace_section
            replace_section(TITLE, "\n".join(lines) + "\n", a.out)
    lines = table(results, device)
    print("\n".join(lines))
    if a.dry_run:
        bad = [n for r in results for n in r[4]]
        sys.exit(1 if bad else 0)
    if a.out:
        print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
