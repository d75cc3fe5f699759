"""Differential fuzzer of the Triton backend: fuzzgen.py's random programs, each run on
backend="triton" and compared with the numpy backend (the reference, itself checked against finite
differences by fuzzgen.py), at widths that cross a kernel's 1024-column block.

Outcomes: `ok`, `refused` (either backend declined with an S2SGradError), `invalid` (the plain
function fails or is not finite), and the failures `wrong` (value or a gradient differs beyond
1e-9 relative to the largest entry) and `crash` (any other exception from inside s2sgrad).

Without a GPU the kernels run in Triton's interpreter (set here before triton is imported) with the
GPU's block sizes.  Long run (docs/testing.md):

    python tests/fuzz_triton.py --n 2000 --seed 21 --width 1100
    python tests/fuzz_triton.py --n 300 --seed 23 --width 1100 --split 256   (rows split in 5 blocks)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import fuzzgen  # noqa: E402


def _close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.all(np.abs(a - b) <= 1e-9 * scale))


def check_program(fn, rng):
    from s2sgrad import differentiate
    from s2sgrad.errors import S2SGradError
    args = fuzzgen.draw_args(rng)
    invalid = fuzzgen.plain_value(fn, args)[1]
    if invalid:
        return "invalid", invalid
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            v0, g0 = differentiate(fn, wrt=(0, 1, 2)).value_and_grad(*args)
            v1, g1 = differentiate(fn, wrt=(0, 1, 2), backend="triton").value_and_grad(*args)
        except S2SGradError as e:
            return "refused", str(e).splitlines()[0]
        except Exception as e:  # an internal traceback is a bug
            return "crash", f"{type(e).__name__}: {e}"
    if not _close(v1, v0):
        return "wrong", f"value: triton {float(v1)!r}, numpy {float(v0)!r}"
    for name, a, b in zip(("x", "W", "s"), g1, g0):
        if not _close(a, b):
            return "wrong", f"d/d{name}: triton and numpy differ by {np.max(np.abs(np.asarray(a, float) - b)):.3g}"
    return "ok", ""


def run(n, seed, width, per_module=50, verbose=False):
    fuzzgen.N = width
    fuzzgen.SHAPES = {"v": (width,), "u": (fuzzgen.K,), "m": (fuzzgen.K, width), "s": ()}
    counts = {k: 0 for k in ("ok", "refused", "invalid", "wrong", "crash")}
    rng = np.random.default_rng(seed + 54321)
    with tempfile.TemporaryDirectory() as tmp:
        done = 0
        while done < n:
            k = min(per_module, n - done)
            mod = fuzzgen.load(fuzzgen.make_module(seed * 100003 + done, k), tmp, f"t{seed}_{done}")
            for i in range(k):
                outcome, detail = check_program(getattr(mod, f"f{i}"), rng)
                counts[outcome] += 1
                if verbose and outcome in ("wrong", "crash"):
                    import inspect
                    print(f"--- {outcome}: {detail}\n{inspect.getsource(getattr(mod, f'f{i}'))}", flush=True)
            done += k
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="number of programs")
    ap.add_argument("--seed", type=int, default=21, help="seed of the program generator")
    ap.add_argument("--width", type=int, default=1100, help="the vector length N (rows are (3, N))")
    ap.add_argument("--show", action="store_true", help="print each failing program")
    ap.add_argument("--split", type=int, metavar="TILE",
                    help="split rows (runtime.ROWS['split'], rowsplit.py) in blocks of TILE columns")
    a = ap.parse_args(argv)
    if a.split:
        from s2sgrad.triton import runtime
        runtime.ROWS.update(split=True, tile=a.split, wide=None)
    t0 = time.perf_counter()
    counts = run(a.n, a.seed, a.width, verbose=a.show)
    print(f"{a.n} programs, width {a.width}, in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 1 if counts["wrong"] or counts["crash"] else 0


if __name__ == "__main__":
    import torch
    if not torch.cuda.is_available():  # no GPU: the interpreter (set before triton is imported)
        os.environ.setdefault("TRITON_INTERPRET", "1")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from s2sgrad.triton import runtime
    runtime.INTERPRET = False  # the GPU's block sizes: 1024 columns, so widths past it loop
    sys.exit(main())
