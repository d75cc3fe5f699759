"""Benchmark suite: s2sgrad against hand-written numpy gradients and the peers, one process.

    python bench/run.py [--quick] [--only mlp_f64,control] [--out bench/RESULTS.md]

Every workload's implementations are timed *interleaved* (round-robin, so drift hits all alike) and
reported as medians; each implementation's gradient is first checked against s2sgrad's (a wrong or
failing peer is reported, not timed).  Peers that are not installed are skipped with a note:
`pip install -e ".[bench]"` installs torch (pinned 2.13.0: a CPU wheel), jax, autograd, tangent-ad.
"""
from __future__ import annotations

import argparse
import inspect
import os
import platform
import sys
import textwrap
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))
import workloads as W  # noqa: E402

from s2sgrad import differentiate  # noqa: E402


# --------------------------------------------------------------------------------- peers
def _try_import(name):
    try:
        return __import__(name)
    except Exception:
        return None


torch = _try_import("torch")
if torch is not None:
    # one intra-op thread: on a small machine torch's OpenMP pool and numpy's OpenBLAS threads
    # otherwise fight over the cores when calls are interleaved (torch measured 40x slower so)
    torch.set_num_threads(1)
jax = _try_import("jax")
autograd = _try_import("autograd")
tangent = _try_import("tangent")
if jax is not None:
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
if autograd is not None:
    import autograd.numpy as anp


def rebind(fn, np_module, extra=None):
    """The same Python source, with `np` bound to another numpy (jax.numpy, autograd.numpy)."""
    src = textwrap.dedent(inspect.getsource(fn))
    ns = {"np": np_module}
    ns.update(extra or {})
    exec(compile(src, f"<{fn.__name__} rebound>", "exec"), ns)
    return ns[fn.__name__]


def torch_heat(p, T0):
    T_tank, T_pipe, T_slab = T0[0], T0[1], T0[2]
    for step in range(20):
        q_tp = p[0] * (T_tank - T_pipe)
        q_ps = p[1] * (T_pipe - T_slab)
        q_sr = p[2] * (T_slab - 20.0)
        T_tank = T_tank + 60.0 * (p[6] - q_tp) / p[3]
        T_pipe = T_pipe + 60.0 * (q_tp - q_ps) / p[4]
        T_slab = T_slab + 60.0 * (q_ps - q_sr) / p[5]
    return (T_slab - 22.0) ** 2 + 0.01 * (T_tank - 60.0) ** 2


def torch_control(a):
    b = a * 2
    while torch.linalg.norm(b) < 1000:
        b = b * 2
    if torch.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


def peer_impls(fn, args, argnums, extra=None, jit=True):
    """JAX (grad, jit(grad)), HIPS autograd and tangent versions of `fn`, value and gradients with
    respect to the arguments in `argnums`, as {name: (call, extract gradients)} entries."""
    out = {}
    if jax is not None:
        jf = rebind(fn, jnp, extra)
        jargs = [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
        g = jax.value_and_grad(jf, argnums=argnums)
        out["jax.grad"] = (lambda: g(*jargs), lambda r: r[1])
        if jit:
            jg = jax.jit(g)
            out["jax.jit(jax.grad)"] = (lambda: jax.block_until_ready(jg(*jargs)), lambda r: r[1])
    if autograd is not None:
        af = rebind(fn, anp, extra)
        idx = argnums if isinstance(argnums, tuple) else (argnums,)

        def call_with(ws):
            full = list(args)
            for i, w in zip(idx, ws):
                full[i] = w
            return af(*full)
        vg = autograd.value_and_grad(call_with)
        wrt_args = tuple(args[i] for i in idx)
        pick = (lambda r: tuple(r[1])) if isinstance(argnums, tuple) else (lambda r: r[1][0])
        out["HIPS autograd"] = (lambda: vg(wrt_args), pick)
    if tangent is not None:
        try:
            tg = tangent.grad(fn, wrt=argnums if isinstance(argnums, tuple) else (argnums,))
            out["tangent"] = (lambda: tg(*args), lambda r: r)
        except Exception as e:  # tangent refuses some Python: reported, not timed
            out["tangent"] = e
    return out


# --------------------------------------------------------------------------------- timing
def _time(fn, n):
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def measure(impls, rounds, min_sample):
    reps = {}
    for name, fn in impls.items():
        fn()  # warm up (compilation, caches)
        n = 1
        while _time(fn, n) * n < min_sample and n < 1 << 20:
            n *= 2
        reps[name] = n
    samples = {name: [] for name in impls}
    for _ in range(rounds):
        for name, fn in impls.items():
            samples[name].append(_time(fn, reps[name]))
    return {name: float(np.median(v)) for name, v in samples.items()}


def replace_section(title, text, path=None):
    """Put `text` (a section starting with the heading `title`) into bench/RESULTS.md in place of the
    section of that heading (up to the next heading or marker comment), or at the end."""
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")
    with open(path) as fh:
        old = fh.read()
    head, sep, rest = old.partition(title)
    tail = ""
    if sep:
        ends = [i for i in (rest.find("\n## "), rest.find("\n<!-- ")) if i >= 0]
        tail = rest[min(ends) + 1:] if ends else ""
    with open(path, "w") as fh:
        fh.write(head.rstrip("\n") + "\n\n" + text + ("\n" + tail if tail else ""))


def close(a, b, rtol):
    a = [np.asarray(x.detach().numpy() if hasattr(x, "detach") else x, dtype=np.float64) for x in _flat(a)]
    b = [np.asarray(x, dtype=np.float64) for x in _flat(b)]
    return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y, rtol=rtol, atol=rtol * (1 + np.abs(y).max()))
                                    for x, y in zip(a, b))


def _flat(x):
    if isinstance(x, (tuple, list)):
        out = []
        for v in x:
            out += _flat(v)
        return out
    return [x]


# --------------------------------------------------------------------------------- workloads
def wl_mlp(dtype):
    args = W.mlp_data(dtype)
    f = differentiate(W.mlp_loss, wrt=("W1", "W2"))
    ref = f.grad(*args)
    impls = {"hand-written numpy": (lambda: W.mlp_hand(*args), lambda r: r[1]),
             "s2sgrad": (lambda: f.value_and_grad(*args), lambda r: r[1])}
    if torch is not None:
        targs = [torch.from_numpy(a) for a in args]

        def torch_step():
            W1 = targs[0].clone().requires_grad_()
            W2 = targs[1].clone().requires_grad_()
            loss = (torch.clamp(targs[2] @ W1, min=0) @ W2 - targs[3]).square().sum()
            loss.backward()
            return loss, (W1.grad, W2.grad)
        impls["PyTorch eager"] = (torch_step, lambda r: r[1])
    impls.update(peer_impls(W.mlp_loss, args, (0, 1)))
    if "tangent" in impls:  # tangent knows np.dot, not @
        tg = tangent.grad(W.mlp_loss_dot, wrt=(0, 1))
        impls["tangent"] = (lambda: tg(*args), lambda r: r)
    return ref, impls, 1e-6 if dtype == np.float64 else 2e-3


def wl_elementwise():
    x = np.random.default_rng(0).standard_normal(1_000_000).astype(np.float32)
    f = differentiate(W.elementwise)
    ref = f.grad(x)
    impls = {"hand-written numpy": (lambda: W.elementwise_hand(x), lambda r: r[1]),
             "s2sgrad": (lambda: f.value_and_grad(x), lambda r: r[1])}
    if torch is not None:
        tx = torch.from_numpy(x)

        def torch_step():
            v = tx.clone().requires_grad_()
            out = torch.sum(torch.tanh(v) * (1 / (1 + torch.exp(-v))) + torch.exp(-v ** 2))
            out.backward()
            return out, v.grad
        impls["PyTorch eager"] = (torch_step, lambda r: r[1])
    impls.update(peer_impls(W.elementwise, (x,), 0))
    return ref, impls, 2e-3


def wl_gd():
    f = differentiate(W.square)

    def descend(grad):
        def run():
            x = 10.0
            for _ in range(5000):
                x = x - 0.001 * grad(x)
            return x
        return run
    ref = descend(f.grad)()
    impls = {"hand-written Python": (descend(lambda x: 2 * x), lambda r: r),
             "s2sgrad": (descend(f.grad), lambda r: r)}
    if torch is not None:
        def torch_run():
            x = torch.tensor(10.0, dtype=torch.float64, requires_grad=True)
            for _ in range(5000):
                y = x ** 2
                y.backward()
                with torch.no_grad():
                    x -= 0.001 * x.grad
                x.grad.zero_()
            return x.item()
        impls["PyTorch eager"] = (torch_run, lambda r: r)
    if jax is not None:
        jg = jax.jit(jax.grad(lambda x: x ** 2))
        impls["jax.jit(jax.grad) per step"] = (descend(lambda x: float(jg(x))), lambda r: r)
    if autograd is not None:
        impls["HIPS autograd"] = (descend(autograd.grad(lambda x: x ** 2)), lambda r: r)
    if tangent is not None:
        try:
            impls["tangent"] = (descend(tangent.grad(W.square)), lambda r: r)
        except Exception as e:
            impls["tangent"] = e
    return ref, impls, 1e-9


def wl_control():
    a = np.array([0.3, -0.1, 0.2])
    seed = np.ones(3)
    f = differentiate(W.control)
    ref = f.grad(a, seed=seed)
    impls = {"function alone (no gradient)": (lambda: W.control(a), None),
             "hand-written numpy": (lambda: W.control_hand(a, seed), lambda r: r[1]),
             "s2sgrad": (lambda: f.value_and_grad(a, seed=seed), lambda r: r[1])}
    if torch is not None:
        ta = torch.from_numpy(a)
        tseed = torch.from_numpy(seed)

        def torch_step():
            v = ta.clone().requires_grad_()
            c = torch_control(v)
            c.backward(tseed)
            return c, v.grad
        impls["PyTorch eager"] = (torch_step, lambda r: r[1])
    if jax is not None:
        jf = rebind(W.control, jnp)
        ja, js = jnp.asarray(a), jnp.asarray(seed)

        def jax_step():
            value, pullback = jax.vjp(jf, ja)
            return value, pullback(js)[0]
        impls["jax.vjp (no jit: Python while)"] = (jax_step, lambda r: r[1])
    if autograd is not None:
        af = rebind(W.control, anp)
        vjp = autograd.make_vjp(af)

        def ag_step():
            pullback, value = vjp(a)
            return value, pullback(seed)
        impls["HIPS autograd"] = (ag_step, lambda r: r[1])
    if tangent is not None:
        try:
            tg = tangent.grad(W.control, preserve_result=False)
            impls["tangent"] = (lambda: tg(a, seed), lambda r: r)
        except Exception as e:
            impls["tangent"] = e
    return ref, impls, 1e-9


def wl_linreg():
    x = np.linspace(-1, 1, 50)
    y = 3 * x + 0.8
    f = differentiate(W.linreg, wrt=("w", "b"))
    ref = f.grad(0.5, 0.1, x, y)
    impls = {"hand-written numpy": (lambda: W.linreg_hand(0.5, 0.1, x, y), lambda r: r[1]),
             "s2sgrad": (lambda: f.value_and_grad(0.5, 0.1, x, y), lambda r: r[1])}
    if torch is not None:
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)

        def torch_step():
            w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
            b = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)
            loss = torch.mean((w * tx + b - ty) ** 2)
            loss.backward()
            return loss, (w.grad, b.grad)
        impls["PyTorch eager"] = (torch_step, lambda r: r[1])
    impls.update(peer_impls(W.linreg, (0.5, 0.1, x, y), (0, 1)))
    return ref, impls, 1e-9


def wl_rnn():
    args = W.rnn_data()
    f = differentiate(W.rnn, wrt=("W", "U"))
    ref = f.grad(*args)
    impls = {"hand-written numpy": (lambda: W.rnn_hand(*args), lambda r: r[1]),
             "s2sgrad": (lambda: f.value_and_grad(*args), lambda r: r[1])}
    if torch is not None:
        targs = [torch.from_numpy(a) for a in args]

        def torch_step():
            Wt = targs[0].clone().requires_grad_()
            Ut = targs[1].clone().requires_grad_()
            h = targs[3]
            for t in range(targs[2].shape[0]):
                h = torch.tanh(Wt @ h + Ut @ targs[2][t])
            loss = torch.sum(h ** 2)
            loss.backward()
            return loss, (Wt.grad, Ut.grad)
        impls["PyTorch eager"] = (torch_step, lambda r: r[1])
    impls.update(peer_impls(W.rnn, args, (0, 1)))
    return ref, impls, 1e-6


def wl_heat():
    p, T0 = W.HEAT_P, W.HEAT_T0
    f = differentiate(W.heat_balance, wrt="p")
    ref = f.grad(p, T0)
    impls = {"function alone (no gradient)": (lambda: W.heat_balance(p, T0), None),
             "s2sgrad": (lambda: f.value_and_grad(p, T0), lambda r: r[1])}
    if torch is not None:
        tp, tT = torch.from_numpy(p), torch.from_numpy(T0)

        def torch_step():
            v = tp.clone().requires_grad_()
            out = torch_heat(v, tT)
            out.backward()
            return out, v.grad
        impls["PyTorch eager"] = (torch_step, lambda r: r[1])
    impls.update(peer_impls(W.heat_balance, (p, T0), 0, extra={"heat_flow": W.heat_flow}))
    return ref, impls, 1e-6


WORKLOADS = {
    "mlp_f64": ("two-layer network value+grad, float64 (N=64, D_in=1000, H=100, D_out=10)", lambda: wl_mlp(np.float64)),
    "mlp_f32": ("two-layer network value+grad, float32", lambda: wl_mlp(np.float32)),
    "elementwise": ("sum(tanh(x)*sigmoid(x) + exp(-x**2)), 1e6 float32, value+grad", wl_elementwise),
    "gradient_descent": ("5000 steps of gradient descent on x**2 (one gradient per step)", wl_gd),
    "control": ("the while/if control-flow example, value+grad with a seed", wl_control),
    "linear_regression": ("linear regression value+grad, 50 points", wl_linreg),
    "rnn": ("RNN recurrence, 50 steps, H=32, value+grad", wl_rnn),
    "heat": ("building heat balance (tank, pipe, slab), 20 steps, value+grad wrt 7 parameters", wl_heat),
}


def fmt_time(t):
    if t >= 1e-3:
        return f"{t * 1e3:.3f} ms"
    return f"{t * 1e6:.2f} µs"


def time_to_differentiate():
    """Decorate + generate the seed two-layer network's gradient, fresh each time (median)."""
    args = W.mlp_data(np.float64)
    ts = []
    for _ in range(15):
        t0 = time.perf_counter()
        f = differentiate(W.mlp_loss, wrt=("W1", "W2"))
        f.compiled_for(*args)
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def run(names, rounds, min_sample):
    lines = []
    for name in names:
        title, build = WORKLOADS[name]
        ref, impls, rtol = build()
        notes, timed = [], {}
        for impl, spec in impls.items():
            if isinstance(spec, Exception):
                notes.append(f"{impl}: cannot differentiate this workload ({type(spec).__name__}: {str(spec)[:90]})")
                continue
            fn, extract = spec
            try:
                result = fn()
                if extract is not None and not close(extract(result), ref, rtol):
                    notes.append(f"{impl}: gradient disagrees with s2sgrad's; not timed")
                    continue
            except Exception as e:
                notes.append(f"{impl}: failed ({type(e).__name__}: {str(e)[:90]})")
                continue
            timed[impl] = fn
        med = measure(timed, rounds, min_sample)
        base_name = next((k for k in med if k.startswith("hand-written")), None) or next(
            (k for k in med if k.startswith("function alone")), None)
        base = med.get(base_name)
        s2s = med.get("s2sgrad")
        lines.append(f"\n### {name}: {title}\n")
        lines.append(f"| implementation | median | ÷ {base_name} | s2sgrad speed-up |")
        lines.append("|---|---:|---:|---:|")
        for impl, t in med.items():
            ratio = f"{t / base:.2f}×" if base else ""
            speed = f"{t / s2s:.1f}×" if s2s and impl != "s2sgrad" else ""
            lines.append(f"| {impl} | {fmt_time(t)} | {ratio} | {speed} |")
        for n in notes:
            lines.append(f"\n- {n}")
        print("\n".join(lines[-(len(med) + 3 + len(notes)):]), flush=True)
    return lines


def header():
    import s2sgrad
    parts = [f"python {platform.python_version()}", f"numpy {np.__version__}", f"s2sgrad {s2sgrad.__version__}"]
    for mod in (torch, jax, autograd):
        if mod is not None:
            parts.append(f"{mod.__name__} {getattr(mod, '__version__', '?')}")
    if tangent is not None:
        parts.append("tangent-ad")
    missing = [n for n, m in (("torch", torch), ("jax", jax), ("autograd", autograd), ("tangent", tangent)) if m is None]
    cpu = platform.processor() or platform.machine()
    out = [f"Machine: {cpu}, {os.cpu_count()} cores; {', '.join(parts)}."]
    if missing:
        out.append(f"Not installed (skipped): {', '.join(missing)} -- `pip install -e \".[bench]\"`.")
    return out


def triton_section():
    """The Triton backend's counts (bench/triton_counts.py), in a process of its own: it must
    choose TRITON_INTERPRET before triton is imported."""
    import subprocess
    proc = subprocess.run([sys.executable, os.path.join(HERE, "triton_counts.py")], capture_output=True, text=True)
    if proc.returncode != 0:
        text = f"Triton measures skipped: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'failed'}"
        print(text)
        return ["", "### Triton backend", "", text]
    print(proc.stdout)
    out = proc.stdout.strip().splitlines()
    return ["", "### Triton backend: launches and bytes per step", "", *out[1:]]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated workloads: " + ", ".join(WORKLOADS))
    ap.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"), help="markdown file to write ('' for none)")
    args = ap.parse_args(argv)
    names = args.only.split(",") if args.only else list(WORKLOADS)
    rounds, min_sample = (3, 0.002) if args.quick else (15, 0.02)
    head = header()
    print("\n".join(head))
    t_diff = time_to_differentiate()
    line = f"Time to differentiate (decorate + generate) the seed network: {fmt_time(t_diff)} (median of 15)."
    print(line)
    lines = run(names, rounds, min_sample)
    lines += triton_section()
    if args.out:
        with open(args.out, "w") as fh:
            fh.write("# s2sgrad benchmark results\n\nGenerated by `python bench/run.py` (medians of "
                     f"{rounds} interleaved rounds; each sample at least {min_sample * 1e3:.0f} ms of calls).\n\n")
            fh.write("\n".join(head) + "\n\n" + line + "\n")
            fh.write("\n".join(lines) + "\n")
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
