"""The numba backend against its goals (issue 14): one process, implementations of each workload
timed interleaved (bench/run.py's `measure`: round-robin, medians), every gradient first checked
against the numpy backend's, and the first-call compile time measured in fresh processes (an empty
disk cache, then the cache the first one wrote).

    python bench/numba_bench.py [--quick] [--out bench/RESULTS.md]

One thread everywhere (BLAS through threadpoolctl, XLA through XLA_FLAGS), as in the issue's
figures.  The section between the numba markers of RESULTS.md is replaced; nothing else is touched.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import run as R  # noqa: E402  (jax with x64, the timing helpers)
import workloads as W  # noqa: E402
import s2sgrad  # noqa: E402
from s2sgrad import differentiate  # noqa: E402

jax = R.jax
START, END = "<!-- numba-bench start -->", "<!-- numba-bench end -->"


# ------------------------------------------------------------------------------- whole loops
@differentiate
def square(x):
    return x ** 2


def descend(x, lr, steps):
    for i in range(steps):
        x = x - lr * square.grad(x)
    return x


@differentiate(wrt=("w", "b"))
def linreg(w, b, x, y):
    y_hat = w * x + b
    return np.mean((y_hat - y) ** 2)


def fit(w, b, x, y, lr, epochs):
    for e in range(epochs):
        gw, gb = linreg.grad(w, b, x, y)
        w = w - lr * gw
        b = b - lr * gb
    return w, b


def heat_fn(p, T0):
    return W.heat_balance(p, T0)


heat = differentiate(heat_fn, wrt="p")


def heat_grads(p, T0, n):
    total = np.zeros(7)
    for k in range(n):
        total = total + heat.grad(p, T0)
    return total


def row_gd():
    train = s2sgrad.jit(descend)
    train(10.0, 0.001, 5000)
    ref = descend(10.0, 0.001, 5000)
    impls = {"numpy backend, Python loop": lambda: descend(10.0, 0.001, 5000),
             "s2sgrad.jit (numba), whole loop": lambda: train(10.0, 0.001, 5000)}
    if jax is not None:
        jg = jax.grad(lambda x: x ** 2)
        loop = jax.jit(lambda x: jax.lax.fori_loop(0, 5000, lambda i, x: x - 0.001 * jg(x), x))
        impls["JAX lax.fori_loop, jit"] = lambda: float(loop(10.0))
    return ref, impls, "JAX lax.fori_loop, jit", "≤ 1.0× JAX whole-loop jit", train, 1e-12


def row_linreg():
    x = np.linspace(-1, 1, 50)
    y = 3 * x + 0.8
    train = s2sgrad.jit(fit)
    train(0.0, 0.0, x, y, 0.1, 3000)
    ref = fit(0.0, 0.0, x, y, 0.1, 3000)
    impls = {"numpy backend, Python loop": lambda: fit(0.0, 0.0, x, y, 0.1, 3000),
             "s2sgrad.jit (numba), whole loop": lambda: train(0.0, 0.0, x, y, 0.1, 3000)}
    if jax is not None:
        jnp = R.jnp
        jx, jy = jnp.asarray(x), jnp.asarray(y)
        g = jax.grad(lambda w, b: jnp.mean((w * jx + b - jy) ** 2), argnums=(0, 1))

        def body(i, wb):
            gw, gb = g(*wb)
            return wb[0] - 0.1 * gw, wb[1] - 0.1 * gb
        loop = jax.jit(lambda w, b: jax.lax.fori_loop(0, 3000, body, (w, b)))
        impls["JAX lax.fori_loop, jit"] = lambda: tuple(map(float, loop(0.0, 0.0)))
    return ref, impls, "JAX lax.fori_loop, jit", "≤ 1.0× JAX whole-loop jit", train, 1e-9


def _per_call(fn, args, wrt, kw=None, dtype_peer=None):
    kw = kw or {}
    f = differentiate(fn, wrt=wrt)
    g = differentiate(fn, wrt=wrt, backend="numba")
    g.value_and_grad(*args, **kw)
    impls = {"numpy backend": lambda: f.value_and_grad(*args, **kw)[1],
             "numba backend": lambda: g.value_and_grad(*args, **kw)[1]}
    return f.grad(*args, **kw), impls, g


def control_sum(a):
    return np.sum(W.control(a))  # the seed of ones, as a scalar loss (what .grad in a compiled loop takes)


control_d = differentiate(control_sum)


def control_many(a, n):
    total = np.zeros(3)
    for k in range(n):
        total = total + control_d.grad(a)
    return total


def row_control():
    a = np.array([0.3, -0.1, 0.2])
    seed = np.ones(3)
    f = differentiate(W.control)
    g = differentiate(W.control, backend="numba")
    many = s2sgrad.jit(control_many)
    many(a, 10000)

    def numpy_many():
        total = np.zeros(3)
        for k in range(10000):
            total = total + f.grad(a, seed=seed)
        return total

    def numba_many():
        total = np.zeros(3)
        for k in range(10000):
            total = total + g.grad(a, seed=seed)
        return total
    ref = numpy_many()
    impls = {"numpy backend, 10 000 calls": numpy_many, "numba backend, 10 000 calls from Python": numba_many,
             "s2sgrad.jit (numba), loop of 10 000": lambda: many(a, 10000)}
    return ref, impls, "numpy backend, 10 000 calls", "≥ 10× faster than the numpy backend", g, 1e-12


def row_rnn():
    args = W.rnn_data()
    ref, impls, g = _per_call(W.rnn, args, ("W", "U"))
    if jax is not None:
        jf = R.rebind(W.rnn, R.jnp)
        jargs = [R.jnp.asarray(v) for v in args]
        jg = jax.jit(jax.value_and_grad(jf, argnums=(0, 1)))
        impls["jax.jit(value_and_grad)"] = lambda: jax.block_until_ready(jg(*jargs))[1]
    return ref, impls, "jax.jit(value_and_grad)", "≤ 1.0× jax.jit", g, 1e-9


def row_heat():
    import numba
    p, T0 = W.HEAT_P, W.HEAT_T0
    ref, impls, g = _per_call(heat_fn, (p, T0), "p")
    ns = dict(W.__dict__)
    ns["heat_flow"] = numba.njit(W.heat_flow)
    fwd = numba.njit(type(W.heat_balance)(W.heat_balance.__code__, ns))
    fwd(p, T0)
    impls["numba.njit forward alone (no gradient)"] = lambda: fwd(p, T0)
    many = s2sgrad.jit(heat_grads)
    many(p, T0, 1000)
    # the compiled value-and-grad called straight, without s2sgrad's per-call checks (signature key,
    # rebound globals): numba's own dispatch and the boxing of the gradient array it returns
    direct = g._last.value_and_grad
    impls["numba dispatcher alone (no s2sgrad wrapper)"] = lambda: direct(p, T0)[1]

    def fwd_many(p, T0, n):
        total = 0.0
        for k in range(n):
            total += fwd(p, T0)
        return total
    fwd_loop = numba.njit(fwd_many)
    fwd_loop(p, T0, 1000)
    extra = {"gradient ×1000 in s2sgrad.jit loop": lambda: many(p, T0, 1000),
             "forward ×1000 in numba loop": lambda: fwd_loop(p, T0, 1000)}
    return ref, impls, "numba.njit forward alone (no gradient)", "gradient ≤ 3× the compiled forward", g, 1e-9, extra


def row_elementwise():
    x = np.random.default_rng(0).standard_normal(1_000_000).astype(np.float32)
    ref, impls, g = _per_call(W.elementwise, (x,), None)
    impls["hand-written numpy"] = lambda: W.elementwise_hand(x)[1]
    if jax is not None:
        jf = R.rebind(W.elementwise, R.jnp)
        jx = R.jnp.asarray(x)
        jg = jax.jit(jax.value_and_grad(jf))
        impls["jax.jit(value_and_grad)"] = lambda: jax.block_until_ready(jg(jx))[1]
    return ref, impls, "jax.jit(value_and_grad)", "≤ 1.0× jax.jit", g, 2e-3


def row_mlp():
    args = W.mlp_data(np.float64)
    ref, impls, g = _per_call(W.mlp_loss, args, ("W1", "W2"))
    return ref, impls, "numpy backend", "no slower than the numpy backend", g, 1e-9


ROWS = {
    "gradient_descent": ("seed gradient descent, 5000 steps, whole loop", row_gd),
    "linear_regression": ("linear regression, 3000 epochs (50 points), whole loop", row_linreg),
    "control": ("D2L control flow (while + if), value+grad with a seed", row_control),
    "rnn": ("RNN 50 steps (H=32), value+grad", row_rnn),
    "heat": ("heat balance, 20 steps, value+grad wrt 7 parameters", row_heat),
    "elementwise": ("elementwise, 1e6 float32, value+grad", row_elementwise),
    "mlp": ("two-layer network (float64, 64×1000 → 100 → 10), value+grad", row_mlp),
}


def run_rows(names, rounds, min_sample):
    lines, summary = [], []
    for name in names:
        title, build = ROWS[name]
        ref, impls, base, goal, compiled, rtol, *more = build()
        extra = more[0] if more else {}
        for label, fn in impls.items():  # every implementation's gradient (or trained parameters) checked first
            if "forward" not in label and not R.close(fn(), ref, rtol):
                raise AssertionError(f"{name}: {label} disagrees with the numpy backend")
        med = R.measure({**impls, **extra}, rounds, min_sample)
        ours = next(k for k in reversed(list(med)) if "numba" in k and "forward" not in k and "×1000" not in k
                    and "alone" not in k)
        lines += ["", f"#### {name}: {title}", "", "| implementation | median | ÷ " + base + " |", "|---|---:|---:|"]
        for label, t in med.items():
            lines.append(f"| {label} | {R.fmt_time(t)} | {t / med[base]:.2f}× |")
        ratio = med[ours] / med[base]
        if name == "heat":
            loop_ratio = med["gradient ×1000 in s2sgrad.jit loop"] / med["forward ×1000 in numba loop"]
            lines.append(f"\nInside compiled loops (no Python call per gradient): gradient {loop_ratio:.2f}× the "
                         "forward.")
            alone = med["numba dispatcher alone (no s2sgrad wrapper)"] / med[base]
            summary.append((name, goal, f"{loop_ratio:.2f}× inside compiled loops; from Python {ratio:.2f}× per call "
                                        f"through the API ({alone:.2f}× calling numba's dispatcher directly: "
                                        "returning a new gradient array costs a call what the forward's number "
                                        "does not)"))
        elif "faster" in goal:
            calls = med["numba backend, 10 000 calls from Python"] / med[base]
            summary.append((name, goal, f"{1 / ratio:.1f}× faster in a compiled loop ({R.fmt_time(med[ours])} vs "
                                        f"{R.fmt_time(med[base])}); {1 / calls:.1f}× calling the numba backend from "
                                        "Python"))
        else:
            summary.append((name, goal, f"{ratio:.2f}× ({R.fmt_time(med[ours])} vs {R.fmt_time(med[base])})"))
        print("\n".join(lines[-(len(med) + 5):]), flush=True)
    return lines, summary


# ------------------------------------------------------------------------------- compile time
COMPILE_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {here!r}); sys.path.insert(1, {root!r})
    import numpy as np
    import numba_bench as B, workloads as W
    import numba  # imported before the clock starts, as in the floor's process
    name = {name!r}
    if {warm!r}:  # numba's own first-use costs paid first (a trivial function, not from our cache)
        import numba
        numba.njit(lambda v: v + 1)(1.0)
    t0 = time.perf_counter()
    if name in ("gradient_descent", "linear_regression"):
        import s2sgrad
        if name == "gradient_descent":
            train = s2sgrad.jit(B.descend); train(10.0, 0.001, 5000)
        else:
            x = np.linspace(-1, 1, 50); train = s2sgrad.jit(B.fit); train(0.0, 0.0, x, 3 * x + 0.8, 0.1, 3000)
        print(train.compile_seconds, time.perf_counter() - t0)
    else:
        from s2sgrad import differentiate
        fn, args, wrt, kw = B.COMPILE_CASES[name]()
        g = differentiate(fn, wrt=wrt, backend="numba")
        g.value_and_grad(*args, **kw)
        print(sum(s for _, s, _ in g._numba.compile_log), time.perf_counter() - t0)
""")

COMPILE_CASES = {
    "control": lambda: (W.control, (np.array([0.3, -0.1, 0.2]),), None, {"seed": np.ones(3)}),
    "rnn": lambda: (W.rnn, W.rnn_data(), ("W", "U"), {}),
    "heat": lambda: (heat_fn, (W.HEAT_P, W.HEAT_T0), "p", {}),
    "elementwise": lambda: (W.elementwise, (np.ones(1_000_000, np.float32),), None, {}),
    "mlp": lambda: (W.mlp_loss, W.mlp_data(np.float64), ("W1", "W2"), {}),
}


FLOOR_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {d!r}); sys.path.insert(1, {root!r})
    import numpy as np
    import numba
    import s2sgrad.backends.numba  # what the workloads' processes have imported before their clocks start
    import floor_mod
    t0 = time.perf_counter()
    floor_mod.f(np.ones(3))
    print(time.perf_counter() - t0)
""")


def numba_floor():
    """numba's own first call in a fresh process of a one-line function already in its disk cache
    (typing and target contexts, the runtime): what any cached numba function pays once per process,
    measured after the same imports as the workloads' processes."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "floor_mod.py"), "w") as fh:
            # np.dot: the first function using numba's numpy support also pays its set-up (arraymath,
            # and the BLAS check, which imports scipy.linalg: ~66 ms), as every s2sgrad module does
            fh.write("import numpy as np\nfrom numba import njit\n\n\n@njit(cache=True)\ndef f(x):\n"
                     "    return np.dot(x, x) + 1.0\n")
        times = []
        for _ in range(4):  # the first run compiles and writes the cache; the others load it
            r = subprocess.run([sys.executable, "-c", FLOOR_SCRIPT.format(d=d, root=os.path.dirname(HERE))],
                               capture_output=True, text=True, env=_env())
            if r.returncode != 0:
                raise RuntimeError(r.stderr[-2000:])
            times.append(float(r.stdout.split()[-1]))
    return float(np.median(times[1:]))


def _env(**extra):
    """The environment of a measuring process: a normal interpreter writes bytecode caches, so the
    measures do not count compiling s2sgrad's own modules (this sandbox sets PYTHONDONTWRITEBYTECODE)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def compile_times(names, summary=None):
    lines = ["", "#### first-call compile time (fresh processes; an empty disk cache, then the cache the first wrote: "
             "the median of three processes)",
             "", "| workload | nothing cached | uncached | uncached, numba already in use | from the disk cache | "
             "from the disk cache, numba already in use | whole first call, uncached | whole first call, cached | "
             "whole first call, cached, less numba's floor | whole first call, cached, numba already in use |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as d:  # bytecode of s2sgrad, numba's helpers' cache: as installed
        src = COMPILE_SCRIPT.format(here=HERE, root=os.path.dirname(HERE), name=names[0], warm=False)
        subprocess.run([sys.executable, "-c", src], env=_env(S2SGRAD_CACHE=d), capture_output=True, text=True)
    floor = numba_floor()
    all_got = {}
    for name in names:
        got = {}
        for warm in (False, True):
            with tempfile.TemporaryDirectory() as d:
                env = _env(S2SGRAD_CACHE=d)
                for cached in (False, True):
                    src = COMPILE_SCRIPT.format(here=HERE, root=os.path.dirname(HERE), name=name, warm=warm)
                    runs = []
                    # cached: the median of three processes.  About half of them pay a full collection
                    # of Python's cyclic GC during the first call (~0.13 s once numba and scipy are
                    # loaded: it falls wherever the allocation count crosses the threshold)
                    for _ in range(3 if cached else 1):
                        r = subprocess.run([sys.executable, "-c", src], env=env, capture_output=True, text=True)
                        if r.returncode != 0:
                            raise RuntimeError(r.stderr[-2000:])
                        runs.append([float(v) for v in r.stdout.split()[-2:]])
                    got[warm, cached] = [float(np.median([x[i] for x in runs])) for i in range(2)]
        with tempfile.TemporaryDirectory() as d:  # numba's cache of s2sgrad's own helpers empty too
            env = _env(S2SGRAD_CACHE=d, NUMBA_CACHE_DIR=os.path.join(d, "numba_cache"))
            src = COMPILE_SCRIPT.format(here=HERE, root=os.path.dirname(HERE), name=name, warm=False)
            r = subprocess.run([sys.executable, "-c", src], env=env, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(r.stderr[-2000:])
            cold = float(r.stdout.split()[-2])
        got["cold"] = cold
        all_got[name] = got
        cells = [R.fmt_time(cold)]
        cells += [R.fmt_time(got[k][0]) for k in ((False, False), (True, False), (False, True), (True, True))]
        cells += [R.fmt_time(got[False, False][1]), R.fmt_time(got[False, True][1]),
                  R.fmt_time(max(got[False, True][1] - floor, 0.0)), R.fmt_time(got[True, True][1])]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    lines.append("\nThe first five columns: numba's part of the first call (typing and LLVM, or the load from its disk "
                 "cache) -- \"nothing cached\": numba's cache of s2sgrad's helpers (matmul, outer, norm: compiled "
                 "once per argument types on a machine) empty as well, as on a fresh installation; \"uncached\": "
                 "no cache of this function, the helpers' cache kept from earlier runs; \"numba already in use\": "
                 "after numba compiled something else in the process, as in any program past its first compiled "
                 "function.  \"Whole first call\": also s2sgrad's own "
                 "compilation and, for s2sgrad.jit, the first run of the loop in Python that records the gradients' "
                 "signatures -- or, from the disk cache, reading s2sgrad's entry for the function and signature "
                 "(backends/numba/diskcache.py: the lowered module texts; for s2sgrad.jit the whole module, so the "
                 "loop is not run in Python first) and importing the module.")
    lines.append(f"\nnumba's own floor: the first call of a one-line `@njit(cache=True)` function (`np.dot(x, x) + 1.0`: "
                 "numba's numpy support is set up at the first function that uses it) already in "
                 f"its disk cache, in a fresh process, takes {R.fmt_time(floor)} (numba's typing and target "
                 "contexts and its runtime, set up once per process): the \"from the disk cache\" column "
                 "cannot go below it, and the last column is what s2sgrad adds to it (its own compilation, "
                 "the lowering, the module's import and numba's load of this function). Every process "
                 "imports numba before its clock starts.")
    if summary is not None and all_got:
        worst = max(all_got, key=lambda n: all_got[n][False, False][1])
        summary.append(("first call, uncached", "< 2 s", f"{R.fmt_time(all_got[worst][False, False][1])} at most "
                        f"({worst}, whole first call; numba's part alone "
                        f"{R.fmt_time(max(g[False, False][0] for g in all_got.values()))} at most); "
                        f"{R.fmt_time(max(g['cold'] for g in all_got.values()))} at most on a fresh installation "
                        "(s2sgrad's helpers not yet in numba's cache)"))
        summary.append(("first call, from the disk cache", "< 50 ms",
                        f"whole first call {R.fmt_time(max(g[True, True][1] for g in all_got.values()))} at most with "
                        f"numba in use (numba's part {R.fmt_time(max(g[True, True][0] for g in all_got.values()))}); "
                        f"in a fresh process numba's own floor for a cached function using numpy is {R.fmt_time(floor)}, "
                        f"and the whole first call {R.fmt_time(max(g[False, True][1] for g in all_got.values()))} "
                        f"at most ({R.fmt_time(max(g[False, True][1] - floor for g in all_got.values()))} more than "
                        "the floor)"))
    return lines


def write_section(path, text):
    old = open(path).read() if os.path.exists(path) else ""
    block = f"{START}\n{text}\n{END}"
    if START in old and END in old:
        new = old[:old.index(START)] + block + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w") as fh:
        fh.write(new)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated rows: " + ", ".join(ROWS))
    ap.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"), help="markdown file ('' for none)")
    args = ap.parse_args(argv)
    import numba
    names = args.only.split(",") if args.only else list(ROWS)
    rounds, min_sample = (3, 0.002) if args.quick else (15, 0.02)
    head = R.header() + [f"numba {numba.__version__}; one thread (BLAS and XLA)."]
    print("\n".join(head))
    # numba's `@` calls scipy's BLAS, loaded at the first compiled matmul: load it now, so that the
    # one-thread limit covers it too (a second, unlimited thread pool otherwise spins against the
    # other on a busy machine: the network measured from 0.5x to 28x the numpy backend so)
    numba.njit(lambda a: a @ a)(np.ones((2, 2)))
    with threadpool_limits(1):
        lines, summary = run_rows(names, rounds, min_sample)
    lines += compile_times([n for n in names], summary)
    table = ["| workload | goal | measured |", "|---|---|---|"] + [f"| {n} | {g} | {m} |" for n, g, m in summary]
    text = "\n".join(["## numba backend (bench/numba_bench.py)", "",
                      f"Generated by `python bench/numba_bench.py` (medians of {rounds} interleaved rounds, each "
                      f"sample at least {min_sample * 1e3:.0f} ms of calls).", "", *head, "", *table, *lines])
    print("\n" + "\n".join(table))
    if args.out:
        write_section(args.out, text)
        print(f"\nwrote the numba section of {args.out}")


if __name__ == "__main__":
    main()
