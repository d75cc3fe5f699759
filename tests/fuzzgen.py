"""Differential fuzzer: random numpy programs, s2sgrad's value and gradients against the plain
function and central finite differences.

The programs are what users write and what broke s2sgrad before: rebinding (also to another shape),
augmented assignment, aliases, slices and views, subscript and augmented subscript writes, nested
loops, `if` on data, `break`, early `return`, helper calls, reductions and broadcasting.

Outcomes per program: `ok` (value and every gradient match), `refused` (an S2SGradError: s2sgrad
declined the program, which is allowed), `invalid` (the plain function itself fails or is not finite
at the inputs, or has no derivative there: a branch decided by rounding alone, `_rounding_branch`;
skipped), and the failures: `wrong` (a value or gradient differs) and `crash` (any other
exception raised by s2sgrad).  Failures are the bugs: zero is the only acceptable number.

Long run (documented in docs/testing.md):  python tests/fuzzgen.py --n 5000 --seed 1
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
import warnings

import numpy as np

N, K = 4, 3  # vector length and matrix rows: shapes v (N,), u (K,), m (K, N), s ()
SHAPES = {"v": (N,), "u": (K,), "m": (K, N), "s": ()}

HELPERS = '''
def h_mix(p, q):
    return np.sin(p) * q + p


def h_loop(p, n=2):
    acc = p * 0.5
    for k in range(n):
        acc = np.tanh(acc) + p
        if np.sum(acc) > 3.0:
            break
    return acc


def h_scale(p, c=2.0):
    r = p * c
    if np.sum(r) > 0:
        return r - 0.5
    return r * r
'''


class _Gen:
    """Builds one program as source lines, tracking the shape kind of every live name."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.names = {"x": "v", "W": "m", "s": "s"}  # name -> kind; the parameters
        self.count = 0
        self.depth = 0

    def pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def chance(self, p):
        return self.rng.random() < p

    def of_kind(self, kind):
        return [n for n, k in self.names.items() if k == kind]

    def fresh(self):
        self.count += 1
        return f"a{self.count}"

    def emit(self, line):
        self.lines.append("    " * (self.depth + 1) + line)

    # ---------------------------------------------------------------- expressions
    def expr(self, kind, depth=0):
        """An expression of the given shape kind."""
        names = self.of_kind(kind)
        if depth > 2 or (names and self.chance(0.35)):
            if names:
                return self.pick(names)
            return self.leaf(kind)
        r = self.rng.random()
        if r < 0.3:
            op = self.pick(["+", "-", "*"])
            other = self.pick([kind, "s"]) if kind != "s" else "s"
            a, b = self.expr(kind, depth + 1), self.expr(other, depth + 1)
            return f"({a} {op} {b})" if self.chance(0.5) else f"({b} {op} {a})"
        if r < 0.5:
            f = self.pick(["np.sin", "np.tanh", "np.cos", "np.square"])
            return f"{f}({self.expr(kind, depth + 1)})"
        if r < 0.58:
            return f"np.exp(np.clip({self.expr(kind, depth + 1)}, -3.0, 3.0))"
        if r < 0.66:
            return f"({self.expr(kind, depth + 1)} / (1.5 + np.square({self.expr(kind, depth + 1)})))"
        if r < 0.72:
            f = self.pick(["np.sqrt(np.square({}) + 1.0)", "np.log1p(np.square({}))", "np.abs({})",
                           "np.arctan({})", "np.sinh(np.clip({}, -2.0, 2.0))"])
            return f.format(self.expr(kind, depth + 1))
        if r < 0.76:
            cond = f"np.sum({self.expr(self.pick(['v', 's']), depth + 1)}) > {round(float(self.rng.uniform(-1, 1)), 2)}"
            return f"({self.expr(kind, depth + 1)} if {cond} else {self.expr(kind, depth + 1)})"
        return self.shaped(kind, depth)

    def shaped(self, kind, depth):
        """Expressions that change shape: reductions, matmul, broadcasting, indexing."""
        if kind == "s":
            src = self.pick(["v", "u", "m"])
            f = self.pick(["np.sum({})", "np.mean({})", "np.max({})", "{}.sum()", "np.linalg.norm({})"])
            if src == "v" and self.chance(0.3):
                return f"{self.expr('v', depth + 1)}[{self.pick([0, 1, -1])}]"
            return f.format(self.expr(src, depth + 1))
        if kind == "v":
            return self.pick([
                lambda: f"np.sum({self.expr('m', depth + 1)}, axis=0)",
                lambda: f"{self.expr('m', depth + 1)}.mean(axis=0)",
                lambda: f"({self.expr('u', depth + 1)} @ {self.expr('m', depth + 1)})",
                lambda: f"{self.expr('m', depth + 1)}[{self.pick([0, 1, -1])}]",
                lambda: f"{self.expr('v', depth + 1)}[::-1]",
                lambda: f"np.concatenate([{self.expr('v', depth + 1)}[:2], {self.expr('v', depth + 1)}[2:]])",
                lambda: f"np.maximum({self.expr('v', depth + 1)}, 0.1)",
                lambda: f"np.where({self.expr('v', depth + 1)} > 0, {self.expr('v', depth + 1)}, 0.5)",
                lambda: f"h_mix({self.expr('v', depth + 1)}, {self.expr('s', depth + 1)})",
                lambda: f"h_scale({self.expr('v', depth + 1)})",
                lambda: f"h_loop({self.expr('v', depth + 1)})",
                lambda: f"({self.expr('m', depth + 1)}.T @ {self.expr('u', depth + 1)})",
                lambda: f"np.dot({self.expr('u', depth + 1)}, {self.expr('m', depth + 1)})",
                lambda: f"np.array([{', '.join(self.expr('s', depth + 1) for _ in range(N))}])",
                lambda: f"np.reshape({self.expr('m', depth + 1)}, ({K * N},))[:{N}]",
                lambda: f"({self.expr('v', depth + 1)} - np.mean({self.expr('v', depth + 1)}, keepdims=True))",
                lambda: f"np.stack([{self.expr('u', depth + 1)}, {self.expr('u', depth + 1)}], axis=1).ravel()[:{N}]",
            ])()
        if kind == "u":
            return self.pick([
                lambda: f"({self.expr('m', depth + 1)} @ {self.expr('v', depth + 1)})",
                lambda: f"np.sum({self.expr('m', depth + 1)}, axis=1)",
                lambda: f"{self.expr('m', depth + 1)}[:, {self.pick([0, 2])}]",
                lambda: f"np.max({self.expr('m', depth + 1)}, axis=1)",
            ])()
        return self.pick([
            lambda: f"({self.expr('m', depth + 1)} + {self.expr('v', depth + 1)})",
            lambda: f"({self.expr('m', depth + 1)} * {self.expr('u', depth + 1)}[:, None])",
            lambda: f"np.outer({self.expr('u', depth + 1)}, {self.expr('v', depth + 1)})",
            lambda: f"({self.expr('m', depth + 1)} - {self.expr('m', depth + 1)}.mean(axis=1, keepdims=True))",
            lambda: f"np.stack([{', '.join(self.expr('v', depth + 1) for _ in range(K))}])",
            lambda: f"{self.expr('m', depth + 1)}.T.T",
            lambda: f"np.where({self.expr('m', depth + 1)} > 0.2, {self.expr('m', depth + 1)}, {self.expr('s', depth + 1)})",
        ])()

    def leaf(self, kind):
        if kind == "s":
            return repr(round(float(self.rng.uniform(-1.5, 1.5)), 2))
        if kind == "v":
            return "x"
        if kind == "m":
            return "W"
        return "W[:, 0]"

    # ---------------------------------------------------------------- statements
    def statement(self):
        r = self.rng.random()
        if not self.names:
            r = 0.0  # nothing to rebind or update: bind a new name
        kind = self.pick(["v", "v", "s", "u", "m"])
        if r < 0.3:  # a new name
            n = self.fresh()
            self.emit(f"{n} = {self.expr(kind)}")
            self.names[n] = kind
        elif r < 0.45:  # rebinding, possibly to another shape
            n = self.pick(list(self.names))
            self.emit(f"{n} = {self.expr(kind)}")
            self.names[n] = kind
        elif r < 0.55:  # augmented assignment (numpy: in place for arrays)
            owned = [n for n in self.names if n not in ("x", "W")]
            n = self.pick(owned if owned and self.chance(0.85) else list(self.names))
            k = self.names[n]
            self.emit(f"{n} {self.pick(['+=', '-=', '*='])} {self.expr(self.pick([k, 's']))}")
        elif r < 0.58:  # tuple unpacking
            n1, n2 = self.fresh(), self.fresh()
            k1, k2 = self.pick(["v", "s", "u"]), self.pick(["v", "s"])
            self.emit(f"{n1}, {n2} = {self.expr(k1)}, {self.expr(k2)}")
            self.names[n1], self.names[n2] = k1, k2
        elif r < 0.62:  # alias, then an update through one of the names
            src = self.pick(list(self.names))
            n = self.fresh()
            self.emit(f"{n} = {src}")
            self.names[n] = self.names[src]
            if self.chance(0.5):
                self.emit(f"{n} += {self.expr('s')}")
        elif r < 0.72:  # subscript writes into an owned copy
            src = self.pick(self.of_kind("v") or ["x"])
            n = self.fresh()
            self.emit(f"{n} = {src}.copy()")
            self.names[n] = "v"
            writes = [
                f"{n}[{self.pick([0, 2, -1])}] = {self.expr('s')}",
                f"{n}[1:3] = {self.expr('v')}[:2]",
                f"{n}[:-1] *= {self.expr('s')}",
                f"{n}[{self.pick([0, 1])}] += {self.expr('s')}",
                f"{n}[[2, 0]] = {self.expr('v')}[:2]",
                f"{n}[{self.expr('v')} > 0] = {self.expr('s')}",
            ]
            if self.chance(0.1):  # an index that reads the target (its mask bound first); a repeated index (refused)
                writes = [f"{n}[{n} < 0] = 0.0", f"{n}[{n} > 0.5] *= {self.expr('s')}",
                          f"{n}[np.argmax({n})] = {self.expr('s')}", f"{n}[[2, 0, 2]] = {self.expr('s')}"]
            self.emit(self.pick(writes))
        elif r < 0.735:  # a view kept under a name, then a write (refused when an array)
            n, w = self.fresh(), self.fresh()
            self.emit(f"{w} = {self.pick(self.of_kind('m') or ['np.ones((3, 4))'])}.copy()")
            self.emit(f"{n} = {w}[0]")
            self.emit(f"{w}[0, 1] = {self.expr('s')}")
            self.names[w], self.names[n] = "m", "v"
        elif r < 0.77:  # an array filled element by element (a recurrence)
            n = self.fresh()
            self.emit(f"{n} = np.zeros({N})")
            self.emit(f"{n}[0] = {self.expr('s')}")
            self.emit(f"for j{self.depth} in range(1, {N}):")
            self.depth += 1
            v = self.pick(self.of_kind("v") or ["x"])
            self.emit(f"{n}[j{self.depth - 1}] = {n}[j{self.depth - 1} - 1] * {self.expr('s')} + {v}[j{self.depth - 1}]")
            self.depth -= 1
            self.names[n] = "v"
        elif r < 0.8:  # a while loop on data, bounded by a counter
            n, c = self.pick(self.of_kind("v") or ["x"]), self.fresh()
            self.emit(f"{c} = 0")
            self.emit(f"while np.sum(np.abs({n})) < {self.pick([2.0, 4.0])} and {c} < 4:")
            self.depth += 1
            self.emit(f"{n} = {n} * 1.3 + 0.1")
            self.emit(f"{c} += 1")
            self.depth -= 1
        elif self.depth < 2 and r < 0.86:
            self.loop()
        elif self.depth < 2:
            self.branch()
        else:
            n = self.pick(list(self.names))
            self.emit(f"{n} = {self.expr(self.names[n])}")

    def block(self, n):
        saved = dict(self.names)
        self.depth += 1
        for _ in range(n):
            self.statement()
        self.depth -= 1
        return saved

    def branch(self):
        self.emit(f"if np.sum({self.expr(self.pick(['v', 's']))}) > {round(float(self.rng.uniform(-1, 1)), 2)}:")
        saved = self.block(int(self.rng.integers(1, 3)))
        then_names = self.names
        self.names = dict(saved)
        if self.chance(0.6):
            self.emit("else:")
            self.block(int(self.rng.integers(1, 3)))
        # after the branch, a name is usable only with the same kind on both sides
        merged = {n: k for n, k in saved.items() if then_names.get(n) == k and self.names.get(n) == k}
        self.names = merged

    def loop(self):
        r = self.rng.random()
        if r < 0.6:
            self.emit(f"for i{self.depth} in range({self.pick([1, 2, 3])}):")
        elif r < 0.8:
            src = self.pick(self.of_kind("m") or ["W"])
            row = self.fresh()
            if self.chance(0.5):
                self.emit(f"for {row} in {src}:")
            else:
                self.emit(f"for j{self.depth}, {row} in enumerate({src}):")
            self.names[row] = "v"
        else:
            c = self.fresh()
            self.emit(f"{c} = 0")
            self.emit(f"while {c} < {self.pick([1, 2, 3])}:")
            self.depth += 1
            self.emit(f"{c} += 1")
            self.depth -= 1
        before = dict(self.names)
        self.block(int(self.rng.integers(1, 4)))
        if self.chance(0.25):
            self.depth += 1
            self.emit(f"if np.sum({self.expr('v')}) > {round(float(self.rng.uniform(0, 3)), 2)}:")
            self.depth += 1
            self.emit(self.pick(["break", "continue", f"return np.sum({self.expr('v')})"]))
            self.depth -= 2
        # a name whose kind changed inside the loop has a different kind on the next iteration
        self.names = {n: k for n, k in before.items() if self.names.get(n) == k}

    def program(self, name):
        for _ in range(int(self.rng.integers(2, 7))):
            self.statement()
        final = self.expr(self.pick(["v", "m", "s", "u"]))
        self.emit(f"return np.sum({final})" if self.chance(0.8) else f"return np.sum(np.square({final}))")
        return f"def {name}(x, W, s):\n" + "\n".join(self.lines) + "\n"


def make_module(seed, count):
    """Source of a module with `count` programs f0..f{count-1}."""
    rng = np.random.default_rng(seed)
    parts = ["import numpy as np\n", HELPERS]
    for i in range(count):
        parts.append(_Gen(rng).program(f"f{i}"))
    return "\n\n".join(parts)


def load(src, tmpdir, tag):
    path = os.path.join(tmpdir, f"fuzz_{tag}.py")
    with open(path, "w") as fh:
        fh.write(src)
    spec = importlib.util.spec_from_file_location(f"fuzz_{tag}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _fd(fn, args, i, d, eps):
    a1, a2 = list(args), list(args)
    a1[i] = args[i] + eps * d
    a2[i] = args[i] - eps * d
    return (fn(*a1) - fn(*a2)) / (2 * eps)


def _rounding_branch(f, args, i, d, fds, ad):
    """Whether finite differences [(eps, fd)] that match no step are those of a point whose branch
    is decided by rounding alone (`if np.sum(2 * (x - np.mean(x))) > 0`: that sum is 0, 2e-16 or
    -2e-16 from point to point), where the plain function has no derivative to compare with.  Each
    step is explained either as a jump (its two points on different branches: fd * eps the same
    jump for every such eps) or as both points on a branch other than x's (s2sgrad's gradients at
    x + eps d and x - eps d, each taken on the branch Python takes there, average to fd and differ
    from the gradient at x).  Anything unexplained stays a failure."""
    jumps = []
    for eps, fd in fds:
        if abs(fd) > 100.0 * (1.0 + abs(ad)):
            jumps.append(abs(fd * eps))
        elif not _neighbours_agree(f, args, i, d, eps, fd, ad):
            return False
    return not jumps or max(jumps) <= 1.5 * min(jumps)


def _neighbours_agree(f, args, i, d, eps, fd, ad):
    def along(sign):
        a = list(args)
        a[i] = args[i] + sign * eps * d
        return float(np.sum(f.value_and_grad(*a)[1][i] * d))
    try:
        up, down = along(1), along(-1)
    except Exception:
        return False
    near = lambda a, b, tol=1e-5: abs(a - b) <= 1e-6 + tol * max(abs(a), abs(b))  # noqa: E731
    # (the central difference is the mean of the neighbours' derivatives to O(eps^2))
    return near(up, down, 1e-3) and near((up + down) / 2, fd) and not near(up, ad, 1e-3)


def draw_args(rng):
    """A program's arguments (x, W, s): uniform in [-1, 1], in SHAPES."""
    return [rng.uniform(-1, 1, SHAPES["v"]), rng.uniform(-1, 1, SHAPES["m"]), float(rng.uniform(-1, 1))]


def plain_value(fn, args):
    """(the plain function's value, None), or (None, the 'invalid' detail) where it fails or is not
    finite (arguments copied: a program may write into them)."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("ignore")
        try:
            ref = fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
            if not np.isfinite(ref):
                return None, "not finite"
        except Exception as e:
            return None, f"{type(e).__name__}: {e}"
    return ref, None


def check_program(fn, rng):
    """('ok' | 'refused' | 'invalid' | 'wrong' | 'crash', detail)."""
    from s2sgrad import differentiate
    from s2sgrad.errors import S2SGradError
    args = draw_args(rng)
    ref, invalid = plain_value(fn, args)
    if invalid:
        return "invalid", invalid
    try:
        f = differentiate(fn, wrt=("x", "W", "s"))
        value, grads = f.value_and_grad(*args)
    except S2SGradError as e:
        return "refused", str(e).splitlines()[0]
    except Exception as e:  # an internal traceback is a bug
        return "crash", f"{type(e).__name__}: {e}"
    if not np.allclose(value, ref, rtol=1e-10, atol=1e-12):
        return "wrong", f"value {value!r}, plain function {ref!r}"
    plain = fn
    for i, (name, g) in enumerate(zip(("x", "W", "s"), grads)):
        if np.shape(g) != np.shape(args[i]):
            return "wrong", f"d/d{name} has shape {np.shape(g)}, argument {np.shape(args[i])}"
        if not np.all(np.isfinite(g)):
            return "wrong", f"d/d{name} is not finite: {g!r}"
        d = rng.standard_normal(np.shape(args[i])) if np.ndim(args[i]) else float(rng.standard_normal())
        ad = float(np.sum(g * d))
        close, fds = [], []
        for eps in (1e-6, 1e-5, 1e-7):  # a kink crossed by one step is not crossed by all three
            fd = _fd(plain, args, i, d, eps)
            fds.append((eps, fd))
            close.append(abs(fd - ad) <= 1e-6 + 1e-5 * max(abs(fd), abs(ad)))
            if close[-1]:
                break
        if not any(close):
            if _rounding_branch(f, args, i, d, fds, ad):
                return "invalid", f"a branch taken at the point by rounding alone, along d/d{name} (finite " \
                                  f"differences {', '.join(f'{fd:.3g}' for _, fd in fds)})"
            return "wrong", f"d/d{name}: finite differences {fd!r}, s2sgrad {ad!r}"
    return _check_forward(fn, args, grads, rng)


def _check_forward(fn, args, grads, rng):
    """Forward mode on the same program: the value, and the dot-product test against the reverse
    gradient just checked (<J v, 1> == <v, J^T 1> for the scalar output).  A refusal in forward mode
    of a program reverse mode accepts is counted ('fwd-refused'), never a failure."""
    import s2sgrad
    from s2sgrad.errors import S2SGradError
    tangents = [rng.standard_normal(np.shape(a)) if np.ndim(a) else float(rng.standard_normal()) for a in args]
    try:
        value, tangent = s2sgrad.jvp(fn, args, tangents)
    except S2SGradError as e:
        return "fwd-refused", str(e).splitlines()[0]
    except Exception as e:
        return "crash", f"forward mode: {type(e).__name__}: {e}"
    ref = fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
    if not np.allclose(value, ref, rtol=1e-10, atol=1e-12):
        return "wrong", f"forward mode value {value!r}, plain function {ref!r}"
    rhs = sum(float(np.sum(g * t)) for g, t in zip(grads, tangents))
    if not abs(float(tangent) - rhs) <= 1e-9 * max(1.0, abs(rhs)):
        return "wrong", f"forward mode: <J v> = {float(tangent)!r}, reverse <v, grad> = {rhs!r}"
    return "ok", ""


def run(n, seed, per_module=50, verbose=False, refusals=False):
    """Check n programs; returns (counts, failures)."""
    counts = {k: 0 for k in ("ok", "refused", "fwd-refused", "invalid", "wrong", "crash")}
    failures = []
    rng = np.random.default_rng(seed + 12345)
    with tempfile.TemporaryDirectory() as tmp:
        done = 0
        while done < n:
            k = min(per_module, n - done)
            src = make_module(seed * 100003 + done, k)
            mod = load(src, tmp, f"{seed}_{done}")
            for i in range(k):
                fn = getattr(mod, f"f{i}")
                outcome, detail = check_program(fn, rng)
                counts[outcome] += 1
                if refusals and outcome == "refused":
                    print("refused:", detail.split(": ", 1)[-1][:110], flush=True)
                if outcome in ("wrong", "crash"):
                    import inspect
                    failures.append((outcome, detail, inspect.getsource(fn)))
                    if verbose:
                        print(f"--- {outcome}: {detail}\n{inspect.getsource(fn)}", flush=True)
            done += k
    return counts, failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500, help="number of programs")
    ap.add_argument("--seed", type=int, default=1, help="seed of the program generator")
    ap.add_argument("--show", action="store_true", help="print each failing program")
    ap.add_argument("--refusals", action="store_true", help="print a tally of refusal reasons")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts, failures = run(a.n, a.seed, verbose=a.show, refusals=a.refusals)
    dt = time.perf_counter() - t0
    print(f"{a.n} programs in {dt:.0f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    sys.exit(main())


def minimize(src, name, seed=0, tmpdir=None):
    """Shrink a failing program by deleting lines while it still fails the same way (for triage)."""
    import tempfile as _tf
    tmpdir = tmpdir or _tf.mkdtemp()
    counter = [0]

    def outcome(text):
        counter[0] += 1
        try:
            mod = load("import numpy as np\n" + HELPERS + "\n" + text, tmpdir, f"min{counter[0]}")
            return check_program(getattr(mod, name), np.random.default_rng(seed))[0]
        except Exception:
            return "invalid"
    lines = src.rstrip("\n").split("\n")
    want = outcome("\n".join(lines) + "\n")
    changed = True
    while changed:
        changed = False
        for i in range(len(lines) - 1, 0, -1):
            trial = lines[:i] + lines[i + 1:]
            if outcome("\n".join(trial) + "\n") == want:
                lines, changed = trial, True
    return "\n".join(lines) + "\n", want
