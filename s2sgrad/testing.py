"""Gradient checking: central finite differences along random directions, in float64.

`check_grads(f, args, wrt)` compares s2sgrad's gradient with `(f(x + eps*d) - f(x - eps*d)) / 2eps`
for a few random directions d (the directional derivative must equal <grad, d>).
"""
from __future__ import annotations

import numpy as np


def _as_float64(a):
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return a.astype(np.float64)
    return a


def directional_fd(fn, args, names, directions, eps=1e-6, seed_vec=None):
    """Central difference of <seed, f> along `directions` (a dict name -> perturbation)."""
    def shifted(sign):
        new = list(args)
        for i, n in enumerate(names):
            if n in directions:
                new[i] = args[i] + sign * eps * directions[n]
        out = fn(*new)
        return np.sum(np.asarray(out) * seed_vec) if seed_vec is not None else out
    return (shifted(+1) - shifted(-1)) / (2 * eps)


def check_grads(f, args, wrt=None, *, directions=3, rtol=1e-6, atol=1e-8, eps=1e-6, seed=0, grad_seed=None):
    """Check f.grad against finite differences. `f` is a differentiated function (or a plain
    function, which is differentiated here). Raises AssertionError with the numbers on mismatch;
    returns the largest relative error seen."""
    from .api import Differentiated, differentiate
    if not isinstance(f, Differentiated) or (wrt is not None and tuple(np.atleast_1d(wrt)) != f.wrt):
        f = differentiate(getattr(f, "__wrapped_py__", f), wrt=wrt)
    import inspect
    names = list(inspect.signature(f.__wrapped_py__).parameters)
    args = [_as_float64(a) for a in args]
    grads = f.grad(*args, seed=grad_seed) if grad_seed is not None else f.grad(*args)
    if len(f.wrt) == 1 and not isinstance(grads, tuple):
        grads = (grads,)
    if len(f.wrt) == 1 and isinstance(grads, tuple) and len(grads) != 1:
        grads = (grads,)
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(directions):
        dirs = {}
        for n in f.wrt:
            a = args[names.index(n)]
            dirs[n] = rng.standard_normal(np.shape(a)) if np.ndim(a) else float(rng.standard_normal())
        fd = directional_fd(f.__wrapped_py__, args, names, dirs, eps, grad_seed)
        ad = sum(float(np.sum(np.asarray(g) * dirs[n])) for n, g in zip(f.wrt, grads))
        err = abs(fd - ad) / max(abs(fd), abs(ad), 1e-12)
        worst = max(worst, err)
        if abs(fd - ad) > atol + rtol * max(abs(fd), abs(ad)):
            raise AssertionError(f"gradient mismatch for {f.__wrapped_py__.__qualname__}: "
                                 f"finite differences {fd!r}, s2sgrad {ad!r} (relative error {err:.3g})")
    return worst


class _CountingList(list):
    """A record stack that counts what is pushed on it."""

    def __init__(self, name, counts):
        super().__init__()
        self._name, self._counts = name, counts

    def append(self, v):
        self._counts[self._name] = self._counts.get(self._name, 0) + 1
        super().append(v)


def record_counts(f, *args, seed=None):
    """Run f's generated value-and-gradient code with instrumented record stacks.

    Returns {stack name: values pushed} (stacks never pushed to are reported as 0): the test hook
    that shows the tape is minimal."""
    import re
    from .runtime import NAMESPACE
    compiled = f.compiled_for(*args)
    src = compiled.seeded_source
    counts = {}
    stacks = re.findall(r"^    (\w+) = \[\]$", src, flags=re.M)
    for name in stacks:
        counts[name] = 0
        src = src.replace(f"    {name} = []\n", f"    {name} = _CountingList({name!r}, _counts)\n", 1)
    ns = dict(NAMESPACE)
    ns.update(f._parsed.captured)
    ns.update(_CountingList=_CountingList, _counts=counts)
    exec(compile(src, "<s2sgrad instrumented>", "exec"), ns)
    fn = ns[next(n for n in ns if n.startswith(f"{f._parsed.ir.name}_value_and_"))]
    fn(*args) if seed is None else fn(*args, seed)
    return counts
