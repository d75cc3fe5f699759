"""Differential fuzzer of s2sgrad's Python structure features: random programs over a dict of
parameters (nested lists of (W, b) tuples, a dict of vectors, objects in a list), a list of arrays,
a layer object (user classes: __call__, forward, @property, @staticmethod, inheritance, a
dataclass), objects made in the function (and objects that change: attributes set, methods
setting self), lists built by append, np.split pieces, tuples, nested defs / lambdas / closures,
helpers with defaults and keyword arguments, functions passed to helpers, owned-array subscript
writes, `if` on data, break, early return; and tuple, list and dict literals
bound to names (tests/fuzz_struct_literals.py), read after a name they hold is bound again or
updated in place, bound again in branches and loops, appended to (through an alias), written by
key, index, del or a method, copied, unpacked (also with the wrong count), with repeated keys; and
(tests/fuzz_struct_writes.py, a block before the return in a share --new-forms of the programs)
writes into dicts and lists the function made (`cache = {}; cache['h'] = h`, overwrites, writes
in if-branches, in loops over constant keys), dict(d) / d.copy() / d.update({...}) / d.update(k=v)
/ d.update(other) / d | e, list-literal index writes, a + [h], [x] * 3, tuple(a) + (y,),
parts.pop(), lists built by hs.extend([...]) / hs += [...] / hs.extend(gs) / hs, gs = [], [],
read by reversed(hs), enumerate(reversed(hs)), zip(xs, reversed(hs)), hs[1:], zip(hs[1:],
hs[:-1]), hs[t + 1], hs[2 * t - 1], a loop counter bound again in its body, comprehensions with
if and several fors, dict comprehensions filtered on known keys, generator expressions to
sum/list/tuple, nested unpacking, `for k in ('W', 'Q')`, lambdas bound to names (module level and
local), np.fill_diagonal, np.where whose side not picked is nan or inf (a non-finite gradient
entry is then accepted only where the function is not smooth), and the forms s2sgrad must refuse
or get right (a write into a dict another name holds, d[k] += v, a write in a loop that runs at
run time, pop of a run-time list).

Each program `f(params, xs, layer, x, s)` returns a float and is differentiated with respect to
one or several of its arguments.  Outcomes (as tests/fuzzgen.py): `ok` (value, gradients and
forward mode all match: tests/fuzz_struct_check.py lists the checks), `refused` (an S2SGradError),
`fwd-refused` (forward mode refused what reverse mode accepted: counted, allowed), `invalid` (the
plain function fails or is not finite: skipped), and the failures `wrong`, `crash` (any other
exception from s2sgrad), `timeout` (one program's checks took more than TIMEOUT_S: compiling
that does not end), and `harness` (an exception in the fuzzer itself).  Zero failures is the
only acceptable number.  An `ok` program is called again through the same differentiated function
with other values and another signature (key order, b2 present or not, an int where a float was,
a subclass, a tuple for the list); that call's failure or refusal is the program's outcome.

Long run (documented in docs/testing.md):  python tests/fuzz_struct.py --n 1000 --seed 11
Replay one program (a failure's detail names it):  python tests/fuzz_struct.py --replay MSEED INDEX
(with the run's --new-forms P, if not the default; --new-forms 0 writes every program exactly as
before the newer forms existed)
"""
from __future__ import annotations

import argparse
import collections
import inspect
import itertools
import os
import re
import signal
import sys
import tempfile
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import fuzzgen  # noqa: E402
from fuzz_struct_check import MODULE_PREFIX, check_program, crash_detail, plain_value  # noqa: E402
from fuzz_struct_gen import NEW_FORMS_P, PARAMS, draw_args, make_module  # noqa: E402

OUTCOMES = ("ok", "refused", "fwd-refused", "invalid", "wrong", "crash", "timeout", "harness")
FAILURES = ("wrong", "crash", "timeout", "harness")
TIMEOUT_S = 20  # one program's checks (compiling, both calls, finite differences): more is a hang


class _Timeout(BaseException):  # not an Exception: nothing on the way catches it
    pass


_fired = []  # the alarm went off (an exception it set off inside s2sgrad is a timeout too)


def _alarm(signum, frame):
    _fired.append(True)
    raise _Timeout()
# module names unique in the process: sys.modules, and so inspect, key on them (a reused name would
# give a later module's classes an earlier one's source)
_modules = itertools.count()


def load(src, tmpdir, tag):
    """Write and import a generated module (s2sgrad reads its source), registered in sys.modules
    (inspect finds a class's source through it)."""
    mod = fuzzgen.load(src, tmpdir, f"sfz_{next(_modules)}_{tag}")
    assert mod.__name__.startswith(MODULE_PREFIX), mod.__name__  # how the checks tell its objects
    sys.modules[mod.__name__] = mod
    return mod


def choose_wrt(rng):
    """One argument (a tree or a leaf), all five, or a pair."""
    r = rng.random()
    if r < 0.35:
        return "params"
    if r < 0.55:
        return PARAMS
    if r < 0.65:
        return "layer"
    if r < 0.75:
        return "xs"
    if r < 0.85:
        return ("params", "x")
    return ("x", "s")


def run_one(mod, specs, i, seed):
    """(outcome, detail, wrt) of program f{i} of the module made from seed; its own random stream,
    so a program replays alone."""
    rng = np.random.default_rng([seed, i])
    fn = getattr(mod, f"f{i}")
    args = draw_args(mod, specs[i], rng)
    wrt = choose_wrt(rng)
    timer = hasattr(signal, "SIGALRM")
    if timer:
        old = signal.signal(signal.SIGALRM, _alarm)
        _fired.clear()
        signal.alarm(TIMEOUT_S)
    try:
        out = _run_one(mod, specs, i, fn, args, rng, wrt)
        if _fired and out[0] in FAILURES:  # s2sgrad caught the interruption and failed otherwise
            return "timeout", f"more than {TIMEOUT_S} s (then {out[0]}: {out[1][:80]})", wrt
        return out
    except _Timeout:
        return "timeout", f"more than {TIMEOUT_S} s (compiling or running)", wrt
    finally:
        if timer:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


def _run_one(mod, specs, i, fn, args, rng, wrt):
    nan_ok = specs[i].get("nan_ok", False)
    try:
        outcome, detail, f = check_program(fn, args, rng, wrt, nan_ok=nan_ok)
        if outcome != "ok":
            return outcome, detail, wrt
        # the same differentiated function called again with other values and another signature:
        # key order, list or tuple, b2 present or not, an int where a float was, another class
        spec2 = dict(specs[i])
        if rng.random() < 0.5:
            spec2["has_b2"] = not spec2["has_b2"]
        args2 = draw_args(mod, spec2, rng)
        if rng.random() < 0.3:
            args2[0]["c"] = int(rng.integers(-1, 2))
        if rng.random() < 0.2 and spec2["layer_cls"] == "Lin":
            args2[2] = mod.Scaled(args2[2].W, args2[2].b, 0.7)  # a subclass: its own __init__, same __call__
        if rng.random() < 0.2 and "s" not in ((wrt,) if isinstance(wrt, str) else wrt):
            args2[4] = int(rng.integers(-1, 2))  # s an int: no gradient
        if plain_value(fn, args2)[1]:
            return outcome, detail, wrt
        out2, detail2, _ = check_program(fn, args2, rng, wrt, f=f, nan_ok=nan_ok)
        if out2 in ("wrong", "crash", "refused"):
            return out2, "second call (another signature): " + detail2, wrt
        return outcome, detail, wrt
    except Exception as e:  # a fuzzer-side failure: reported, not counted as s2sgrad's
        return "harness", crash_detail(e), wrt


def tally_line(counts):
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _reason(detail):
    """A refusal's message with file names and numbered temporaries blanked, to tally reasons."""
    key = re.sub(r"\S+\.py(:\d+)*:?", "<f>", detail)[:150]
    return re.sub(r"\b(h|hs|gs|a|g|pr|pair|lst|d|el|acc|key|rest|obj|out|parts|tm|W|b|k|val|e|t|c|m|cache|q|rep|tp|y|S|outer|act|sc|sh|xt)\d+\b", r"\1N", key)


def run(n, seed, per_module=25, verbose=False, refusals=False, progress=False, new_forms=NEW_FORMS_P):
    """Check n programs; returns (counts, failures), failures [(outcome, detail, source)].
    new_forms: the share of programs ending with a block of the newer forms (0: as before them)."""
    with warnings.catch_warnings():  # np.where's side not picked warns in s2sgrad's code too
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run(n, seed, per_module, verbose, refusals, progress, new_forms)


def _run(n, seed, per_module, verbose, refusals, progress, new_forms):
    counts = {k: 0 for k in OUTCOMES}
    tally = {k: collections.Counter() for k in ("refused", "fwd-refused", "invalid")}
    failures, examples = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        done = 0
        while done < n:
            k = min(per_module, n - done)
            mseed = seed * 100003 + done
            src, specs = make_module(mseed, k, new_forms)
            mod = load(src, tmp, f"{seed}_{done}")
            for i in range(k):
                outcome, detail, wrt = run_one(mod, specs, i, mseed)
                counts[outcome] += 1
                if outcome in tally:
                    key = _reason(detail)
                    tally[outcome][key] += 1
                    examples.setdefault((outcome, key), (mseed, i))
                if outcome in FAILURES:
                    where = f"[--replay {mseed} {i}, wrt={wrt!r}, {specs[i]}]"
                    failures.append((outcome, f"{detail} {where}", inspect.getsource(getattr(mod, f"f{i}"))))
                    if verbose:
                        print(f"--- {outcome} {where}: {detail}\n{failures[-1][2]}", flush=True)
            del sys.modules[mod.__name__]  # done with it (the directory goes at the end)
            done += k
            if progress:
                print(f"[{done}/{n}] {tally_line(counts)}", file=sys.stderr, flush=True)
    if refusals:
        for kk in tally:
            print(f"== {kk}: top reasons")
            for msg, c in tally[kk].most_common(25):
                print(f"{c:6d}  {msg}   e.g. --replay {examples[(kk, msg)][0]} {examples[(kk, msg)][1]}")
    return counts, failures


def replay(mseed, i, new_forms=NEW_FORMS_P):
    """Print program i of the module made from mseed, its argument spec and its outcome."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        src, specs = make_module(mseed, i + 1, new_forms)  # one stream: the first i + 1 programs are the same
        mod = load(src, tmp, "replay")
        print(inspect.getsource(getattr(mod, f"f{i}")))
        print(specs[i])
        print(run_one(mod, specs, i, mseed))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="number of programs")
    ap.add_argument("--seed", type=int, default=1, help="seed of the program generator")
    ap.add_argument("--per-module", type=int, default=25, help="programs per generated module")
    ap.add_argument("--show", action="store_true", help="print each failing program")
    ap.add_argument("--refusals", action="store_true", help="print a tally of refusal reasons")
    ap.add_argument("--replay", type=int, nargs=2, metavar=("MODULE_SEED", "INDEX"),
                    help="print and check one program")
    ap.add_argument("--new-forms", type=float, default=NEW_FORMS_P, metavar="P",
                    help=f"share of programs ending with a block of the newer forms (default {NEW_FORMS_P}; "
                         "0: every program as written before them; --replay needs the same P)")
    a = ap.parse_args(argv)
    if a.replay:
        replay(*a.replay, new_forms=a.new_forms)
        return 0
    t0 = time.perf_counter()
    counts, failures = run(a.n, a.seed, a.per_module, verbose=a.show, refusals=a.refusals, progress=True,
                           new_forms=a.new_forms)
    print(f"{a.n} programs in {time.perf_counter() - t0:.0f} s: {tally_line(counts)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    sys.exit(main())
