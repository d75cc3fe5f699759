"""One workload per family of rule-table rows added for issue 11 (einsum contraction, linalg solve,
cholesky, var/std, split/stack): s2sgrad's generated value-and-gradient against a hand-written numpy
adjoint, and JAX (jit) / HIPS autograd where installed.

    python bench/rules_bench.py [--rounds 31] [--write]

Each implementation's gradients are checked against the hand-written ones first; then s2sgrad and
the hand-written adjoint are timed interleaved (round-robin within each round), then the peers
interleaved with the hand-written one; medians reported.
`--write` appends the table to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

# one BLAS thread for everyone (set before numpy is imported): on a small machine shared with test
# runs, BLAS thread pools contending with each other and with XLA's moved single timings by 20-50x
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from s2sgrad import differentiate  # noqa: E402

# JAX's own thread pool and numpy's BLAS threads fight over a small machine's cores when calls
# are interleaved: one intra-op thread for XLA (set before jax is imported)
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
try:
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
except Exception:  # not installed: skipped
    jax = None
try:
    import autograd
    import autograd.numpy as anp
except Exception:
    autograd = None


# ------------------------------------------------------------------------------ workloads
def einsum_loss(A, B):
    return np.sum(np.einsum("bij,bjk->bik", A, B) ** 2)


def einsum_hand(A, B):
    out = np.einsum("bij,bjk->bik", A, B)
    g = 2 * out
    return np.sum(out ** 2), (np.einsum("bik,bjk->bij", g, B), np.einsum("bij,bik->bjk", A, g))


def solve_loss(A, b):
    x = np.linalg.solve(A, b)
    return np.sum(x ** 2)


def solve_hand(A, b):
    x = np.linalg.solve(A, b)
    gb = np.linalg.solve(A.T, 2 * x)
    return np.sum(x ** 2), (-np.outer(gb, x), gb)


def cholesky_loss(A):
    L = np.linalg.cholesky(A)
    return np.sum(L * L) + np.sum(L)


def cholesky_hand(A):
    L = np.linalg.cholesky(A)
    gL = 2 * L + 1.0
    p = L.T @ gL
    phi = np.tril(p) - 0.5 * np.diag(np.diag(p))
    s = np.linalg.solve(L.T, np.linalg.solve(L.T, phi).T)  # L^-T phi L^-1 (transposed back below)
    s = s.T
    ga = np.tril(s + s.T, -1) + np.diag(np.diag(s))
    return np.sum(L * L) + np.sum(L), ga


def varstd_loss(X):
    return np.sum(np.var(X, axis=0)) + np.sum(np.std(X, axis=1))


def varstd_hand(X):
    c0 = X - X.mean(axis=0)
    c1 = X - X.mean(axis=1, keepdims=True)
    std1 = np.std(X, axis=1)
    value = np.sum(np.mean(c0 * c0, axis=0)) + np.sum(std1)
    g = 2 * c0 / X.shape[0] + c1 / (X.shape[1] * std1[:, None])
    return value, g


def splitstack_loss(x):
    a, b = np.split(x, 2, axis=1)
    y = np.stack([a * b, a + b])
    return np.sum(y ** 2)


def splitstack_hand(x):
    n = x.shape[1] // 2
    a, b = x[:, :n], x[:, n:]
    y = np.stack([a * b, a + b])
    gy = 2 * y
    gp, gs = gy[0], gy[1]
    return np.sum(y ** 2), np.concatenate([gp * b + gs, gp * a + gs], axis=1)


def _spd(rng, n):
    m = rng.standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


def workloads():
    rng = np.random.default_rng(0)
    return [
        ("einsum 'bij,bjk->bik' (32x64x64)", einsum_loss, einsum_hand, (rng.standard_normal((32, 64, 64)),
                                                                         rng.standard_normal((32, 64, 64))), (0, 1)),
        ("linalg.solve (200x200, vector b)", solve_loss, solve_hand, (_spd(rng, 200), rng.standard_normal(200)), (0, 1)),
        ("linalg.cholesky (200x200)", cholesky_loss, cholesky_hand, (_spd(rng, 200),), (0,)),
        ("var(axis=0) + std(axis=1) (500x400)", varstd_loss, varstd_hand, (rng.standard_normal((500, 400)),), (0,)),
        ("split(x, 2, axis=1) + stack (500x400)", splitstack_loss, splitstack_hand, (rng.standard_normal((500, 400)),), (0,)),
    ]


# ------------------------------------------------------------------------------ peers
def _rebind(fn, module):
    import inspect
    import textwrap
    src = textwrap.dedent(inspect.getsource(fn))
    ns = {"np": module}
    exec(compile(src, f"<{fn.__name__} rebound>", "exec"), ns)
    return ns[fn.__name__]


def _as_tuple(g, n):
    return tuple(g) if isinstance(g, tuple) else (g,) if n == 1 else tuple(g)


def implementations(fn, hand, args, argnums):
    names = tuple(list(fn.__code__.co_varnames[:fn.__code__.co_argcount])[i] for i in argnums)
    f = differentiate(fn, wrt=names if len(names) > 1 else names[0])
    impls = {"hand-written numpy": lambda: hand(*args), "s2sgrad": lambda: f.value_and_grad(*args)}
    if jax is not None:
        jf = jax.jit(jax.value_and_grad(_rebind(fn, jnp), argnums=argnums if len(argnums) > 1 else argnums[0]))
        jargs = tuple(jnp.asarray(a) for a in args)
        impls["JAX (jit)"] = lambda: jax.block_until_ready(jf(*jargs))
    if autograd is not None:
        af = autograd.value_and_grad(_rebind(fn, anp), argnum=argnums if len(argnums) > 1 else argnums[0])
        impls["HIPS autograd"] = lambda: af(*args)
    return impls


def _lower_from_symmetric(g):
    """JAX and autograd give cholesky's gradient for a symmetric argument (S); numpy reads only
    A's lower triangle, whose gradient is tril(2 S, -1) + diag(S): the same derivative."""
    g = np.asarray(g)
    return np.tril(2 * g, -1) + np.diag(np.diag(g))


def _check(impls, n, label):
    ref = _as_tuple(impls["hand-written numpy"]()[1], n)
    bad = []
    for name, run in impls.items():
        try:
            g = _as_tuple(run()[1], n)
            if "cholesky" in label and name in ("JAX (jit)", "HIPS autograd"):
                g = tuple(_lower_from_symmetric(x) for x in g)
            ok = all(np.allclose(np.asarray(a), b, rtol=1e-6, atol=1e-8) for a, b in zip(g, ref))
        except Exception as e:  # a peer that cannot run it is reported, not timed
            ok = False
            print(f"  {name}: {type(e).__name__}: {str(e)[:120]}", file=sys.stderr)
        if not ok:
            bad.append(name)
    return bad


def run(rounds):
    rows = []
    for label, fn, hand, args, argnums in workloads():
        impls = implementations(fn, hand, args, argnums)
        bad = _check(impls, len(argnums), label)
        for b in bad:
            impls.pop(b)
        times = {k: [] for k in impls}
        # s2sgrad against the hand-written adjoint first, the two alone (the ratio that matters),
        # then the peers interleaved with the hand-written one
        for group in (["hand-written numpy", "s2sgrad"], [k for k in impls if k != "s2sgrad"]):
            for _ in range(rounds):
                for name in group:
                    t = time.perf_counter()
                    impls[name]()
                    dt = time.perf_counter() - t
                    if group[-1] == "s2sgrad" or name != "hand-written numpy":
                        times[name].append(dt)
        med = {k: float(np.median(v)) for k, v in times.items()}
        rows.append((label, med, bad))
        print(label, {k: f"{v * 1e3:.3f} ms" for k, v in med.items()}, "bad:", bad)
    return rows


MALLOC = "glibc defaults"
TITLE = "## Rule-table families (issue 11): generated adjoint vs hand-written"


def table(rows, rounds):
    peers = ["JAX (jit)", "HIPS autograd"]
    out = [f"Generated by `python bench/rules_bench.py --write` ({rounds} interleaved rounds, medians; each "
           "implementation's gradients checked against the hand-written adjoint first; JAX's and autograd's "
           "cholesky gradient is for a symmetric argument, mapped onto the lower triangle numpy reads).",
           f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
           f"python {platform.python_version()}, numpy {np.__version__} (BLAS threads: "
           f"{os.environ.get('OPENBLAS_NUM_THREADS')})"
           + (f", jax {jax.__version__}" if jax else "") + (", autograd" if autograd else "") + f"; malloc: {MALLOC}.", "",
           "| workload (value + gradient) | hand-written numpy | s2sgrad | s2sgrad / hand | "
           + " | ".join(peers) + " |", "|---|---:|---:|---:|" + "---:|" * len(peers)]
    for label, med, bad in rows:
        hand, ours = med["hand-written numpy"], med.get("s2sgrad")
        cells = [f"{hand * 1e3:.3f} ms", f"{ours * 1e3:.3f} ms" if ours else "failed",
                 f"{ours / hand:.2f}x" if ours else "-"]
        for p in peers:
            cells.append(f"{med[p] * 1e3:.3f} ms" if p in med else ("wrong/failed" if p in bad else "not installed"))
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out)


NOTE = ("\nWhere the ratio is above 1: var/std recomputes the mean and the centered input in the adjoint (the "
        "hand-written one keeps them from the forward pass). split/stack allocates a zero array and writes each "
        "piece into it (with = since the driver knows np.split's pieces are disjoint: 1.19x-1.26x before, when all "
        "but the first were added with +=), where the hand-written adjoint concatenates the pieces. solve and cholesky generate the hand-written code itself (shape inference evaluates linear "
        "algebra on an invertible placeholder since issue 11's last step; before, the singular all-ones one left "
        "their shapes unknown and the adjoint carried run-time `unbroadcast` checks). "
        "The machine is shared (2 cores, other test runs): s2sgrad and the hand-written adjoint are timed "
        "together and apart from the peers (XLA on one thread); single runs still move by about 0.05x, and the "
        "peers' columns by much more.")


def keep_freed_memory():
    """Keep freed blocks in glibc's heap (fixed mmap and trim thresholds of 256 MB), so that an array
    allocated again reuses memory instead of a fresh mapping: on a sandboxed machine each page fault
    of a fresh 1.6 MB array costs more than the arithmetic on it (the hand-written var/std adjoint
    took 4.8 ms with glibc's defaults, 0.87 ms with this), and the timings would rank allocators,
    not adjoints.  Returns whether it was applied (glibc only)."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        return bool(libc.mallopt(M_MMAP_THRESHOLD, 256 << 20)) and bool(libc.mallopt(M_TRIM_THRESHOLD, 256 << 20))
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--malloc-defaults", action="store_true", help="leave glibc's allocation thresholds alone")
    a = ap.parse_args()
    global MALLOC
    MALLOC = "glibc defaults" if a.malloc_defaults or not keep_freed_memory() else "freed memory kept (mallopt)"
    rows = run(a.rounds)
    text = table(rows, a.rounds)
    print(text)
    if a.write:  # replaces this bench's section (appended the first time)
        sys.path.insert(0, HERE)
        from run import replace_section
        replace_section(TITLE, f"{TITLE}\n\n{text}\n{NOTE}\n")


if __name__ == "__main__":
    main()
