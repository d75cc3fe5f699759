"""Random compositions of the rule table's constructors, casts, list literals, reductions and
products, checked for value and gradient against central finite differences.

Each program is `np.sum(np.sin(e))` for a random expression e over a vector `p` (3,) and a Python
float `s`, both differentiated.  The per-row walk (test_rule_table_soundness.py) checks rows one at
a time; this checks that they compose (a list literal inside a constructor inside a reduction, a
Python float through np.full into np.concatenate...).  `python tests/test_rule_fuzz.py SEED N`
runs a longer campaign and prints every failure.
"""
import importlib.util
import random
import sys

import numpy as np
import pytest

from s2sgrad import differentiate

VECTORS = [
    "np.array([{s}, {s2}, {s3}])", "np.full((3,), {s})", "np.linspace({s}, {s2}, 3)", "np.full_like(p, {s})",
    "np.clip({v}, {s}, {s2})", "np.clip({v}, a_min=-0.3, a_max={s})", "np.maximum({v}, {s})",
    "np.minimum({s}, {v})", "np.triu(np.outer({v}, {v2}))[0]", "np.tril(np.outer({v}, {v2}), -1)[:, 0]",
    "np.dot(np.outer({v}, {v2}), {v})", "np.concatenate([{v}[:1], [{s}], {v}[2:]])",
    "np.stack([{v}, {v2}], axis=1).sum(axis=1)", "np.asarray([{s}, {s2}, {s3}])", "np.float64({v})",
    "np.where({v} > 0, {v}, {s})", "{v} * {s}", "{v} + {v2}", "np.exp([{s}, {s2}, {s3}])",
    "np.array({v}) ** 2", "np.transpose(np.outer({v}, {v2})).sum(axis=1)", "np.ravel(np.outer({v}, {v2}))[:3]",
    "np.expand_dims({v}, 0)[0]", "np.squeeze({v}[None, :])", "np.sum(np.outer({v}, {v2}), 0, None, None, False)",
    "np.mean(np.outer({v}, {v2}), axis=1)", "np.max(np.stack([{v}, {v2}]), axis=0)",
    "np.linalg.norm(np.outer({v}, {v2}) + 2.0, axis=1)", "np.random.normal({v}, {pos}, 3)",
    "np.random.uniform({s}, {s} + 3.0, 3)", "np.linspace({v}, {v2}, 4)[1]",
    "np.arange({s}, {s} + 2.5, 0.7)[:3]", "np.array(tuple({v}))", "np.full((2, 3), {v})[1]",
    "np.dot(np.stack([np.outer({v}, {v2}), np.outer({v2}, {v})]), {v})[0]",
    "np.dot(np.outer({v}, {v2}), np.stack([np.outer({v}, {v}), np.outer({v2}, {v2})]))[0, 0]",
    "{v} @ np.stack([np.outer({v}, {v2}), np.outer({v2}, {v})])[1]", "np.clip({v}, {s}, None)",
    "np.where({v} > 0.1, {v}, [{s}, {s2}, {s3}])", "np.triu(np.outer({v}, {v2}), -1)[2]",
    # rows added for numpy coverage (issue 11)
    "np.cumsum({v})", "np.cumprod({v})", "np.var(np.outer({v}, {v2}), axis=0)", "np.flip({v})",
    "np.std(np.outer({v}, {v2}) + np.eye(3), axis=1, ddof=1)", "np.roll({v}, 1)", "np.diff(np.append({v}, {s}))",
    "np.einsum('ij,j->i', np.outer({v}, {v2}), {v})", "np.einsum('i,i->i', {v}, {v2})",
    "np.tensordot(np.outer({v}, {v2}), {v}, 1)", "np.kron({v}, [{s}, 1.0])[:3]", "np.cross({v}, {v2})",
    "np.hstack([{v}[:1], {v2}[1:]])", "np.vstack([{v}, {v2}])[1]", "np.tile({v}, 2)[2:5]", "np.repeat({v}, 2)[1:4]",
    "np.pad({v}, 1, mode='wrap')[1:4]", "np.take({v}, [2, 0, 0])", "np.split(np.append({v}, {v2}), 2)[1]",
    "np.moveaxis(np.outer({v}, {v2}), 0, 1)[0]", "np.linalg.solve(np.outer({v}, {v2}) + 3.0 * np.eye(3), {v})",
    "np.linalg.inv(np.outer({v}, {v2}) + 3.0 * np.eye(3))[1]", "np.hypot({v}, {s})", "np.exp2({v})",
    "np.arcsinh({v})", "np.logaddexp2({v}, {s})", "np.sinc({v})", "np.prod(np.outer({v}, {v2}), axis=0)",
    "np.average(np.outer({v}, {v2}), axis=1, weights=np.exp({v}))", "np.diag(np.outer({v}, {v2}))",
    # signals, interpolation, grids, covariance, ufunc methods (rules/signal.py, covariance.py, ufuncs.py)
    "np.convolve({v}, [{s}, 1.0], 'same')", "np.correlate({v}, {v2}, 'same')", "np.convolve({v}, {v2})[1:4]",
    "np.interp({v}, [-0.5, 0.0, 0.5], [{s}, {s2}, 1.0])", "np.polyval([{s}, 1.0, {s2}], {v})",
    "np.meshgrid({v}, {v2})[0][1]", "np.meshgrid({v}, [{s}, {s2}], indexing='ij')[1][:, 0]",
    "np.maximum.reduce(np.outer({v}, {v2}))", "np.add.outer({v}, {v2})[2]", "np.multiply.outer({v}, {v2}).sum(axis=0)",
    "np.subtract.outer({v}, {s})", "np.nanmax(np.outer({v}, {v2}), axis=1)", "np.add.reduce(np.outer({v}, {v2}), 1)",
    "np.cov(np.outer({v}, {v2}) + np.eye(3), bias=True)[0]", "np.corrcoef({v}, np.exp({v2}))[0, 1:]",
]
SCALARS = [
    "p[0]", "p[1]", "s", "np.sum({v})", "np.mean([{s}, {s2}])", "np.max([{s}, -5.0])", "max({s}, {s2})",
    "min([{s}, {s2}, 0.3])", "np.dot({v}, {v2})", "{v} @ {v2}", "np.linalg.norm({v} + 2.0)", "float({s})",
    "({s} or 0.5)", "np.float64({s})", "{s} ** 2", "np.power(0.0, {pos}) + {s}", "{s} ** 0.0 * {s2}",
    "np.sum({s}, axis=0)", "[{s}, 2.0 * {s2}][1]", "np.squeeze({s})", "np.ravel({s})[0]", "np.mean({s})",
    "np.transpose({s})", "np.array({s})", "np.sum(np.array([[{s}, 1.0], [0.0, {s2}]]) ** 2)",
    "np.random.normal({s}, {pos})", "({s} and {s2})", "np.float64({s}) * {s2}",
    "np.sum(np.full_like(np.ones(2), {s}, dtype=np.float64))", "np.sum(np.asarray([{v}, {v2}]), 0)[1]",
    # rows added for numpy coverage (issue 11)
    "np.var({v})", "np.std({v}, ddof=1)", "np.prod({v})", "np.trace(np.outer({v}, {v2}))", "np.vdot({v}, {v2})",
    "np.inner({v}, {v2})", "np.einsum('i,i', {v}, {v2})", "np.linalg.det(np.outer({v}, {v2}) + 2.0 * np.eye(3))",
    "np.linalg.slogdet(np.outer({v}, {v}) + 2.0 * np.eye(3))[1]", "np.linalg.eigvalsh(np.outer({v}, {v}) + np.eye(3))[2]",
    "np.sum(np.linalg.cholesky(np.outer({v}, {v}) + np.eye(3)))", "np.average({v}, weights=[1.0, 2.0, {pos}])",
    "np.linalg.norm({v}, 1)", "np.linalg.norm(np.outer({v}, {v2}), 'nuc')", "math.erf({s})", "np.nansum({v})",
    "np.trapezoid({v}, dx={s})", "np.trapezoid({v}, np.cumsum(np.exp({v2})))", "np.polyval({v}, {s})",
    "np.logaddexp.reduce({v})", "np.multiply.reduce({v})", "np.nanmin({v})", "np.cov({v}, {v2})[0, 1]",
    "np.interp({s}, [-1.0, 0.2, 1.0], {v})",
]


def _expr(rng, depth, kind):
    if depth == 0:
        return rng.choice(["p", "np.sin(p)", "p * 1.5"] if kind == "v" else ["s", "p[0]", "p[2] * 0.5"])
    sub = {k: f"({_expr(rng, depth - 1, 'v')})" for k in ("v", "v2")}
    sub.update({k: f"({_expr(rng, depth - 1, 's')})" for k in ("s", "s2", "s3")})
    sub["pos"] = f"({_expr(rng, depth - 1, 's')}) ** 2 + 0.5"
    return rng.choice(VECTORS if kind == "v" else SCALARS).format(**sub)


def _programs(seed, n, tmp_dir):
    rng = random.Random(seed)
    exprs = [_expr(rng, 2, rng.choice("vs")) for _ in range(n)]
    lines = ["import math", "import numpy as np", ""]
    for i, e in enumerate(exprs):
        lines += [f"def f{i}(p, s):", f"    return np.sum(np.sin({e}))", ""]
    path = tmp_dir / f"fuzz_rules_{seed}.py"
    path.write_text("\n".join(lines))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [(e, getattr(mod, f"f{i}")) for i, e in enumerate(exprs)]


def run(seed, n, tmp_dir):
    """Failures (lines) over n random programs, and how many were checked."""
    failures, checked = [], 0
    data = np.random.default_rng(seed)
    for e, fn in _programs(seed, n, tmp_dir):
        p, s = data.uniform(-0.9, 0.9, 3), float(data.uniform(0.2, 0.9))
        d, ds = data.standard_normal(3), float(data.standard_normal())

        def call(*a):
            np.random.seed(0)  # the same draws for every evaluation
            return fn(*a)
        try:
            with np.errstate(all="ignore"):
                ref = call(p, s)
        except Exception:  # numpy itself refuses this program (a value out of a row's domain)
            continue
        try:
            f = differentiate(fn, wrt=("p", "s"))
            f.value_and_grad(p, s)  # compile first (shape inference may draw random numbers)
            np.random.seed(0)
            value, (gp, gs) = f.value_and_grad(p, s)
        except Exception as ex:  # a refusal or a crash is a failure to report, with its program
            failures.append(f"{e}: {type(ex).__name__}: {str(ex).splitlines()[0]}")
            continue
        eps = 1e-6
        with np.errstate(all="ignore"):
            fd = (call(p + eps * d, s + eps * ds) - call(p - eps * d, s - eps * ds)) / (2 * eps)
        ad = float(np.sum(gp * d) + gs * ds)
        checked += 1
        if not np.isclose(value, ref, rtol=1e-12, atol=1e-12):
            failures.append(f"{e}: value {value!r}, numpy {ref!r}")
        elif abs(fd - ad) > 1e-6 + 1e-5 * max(abs(fd), abs(ad)):
            failures.append(f"{e}: finite differences {fd!r}, s2sgrad {ad!r}")
    return failures, checked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_compositions_of_rules(seed, tmp_path):
    failures, checked = run(seed, 40, tmp_path)
    assert checked >= 36  # a few programs may leave numpy's domain
    assert failures == []


if __name__ == "__main__":
    import pathlib
    import tempfile
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    fails, count = run(seed, n, pathlib.Path(tempfile.mkdtemp()))
    print("\n".join(fails))
    print(f"seed {seed}: {count} programs checked, {len(fails)} failures")
