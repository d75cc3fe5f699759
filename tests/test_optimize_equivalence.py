"""The fast optimisation passes (issue 9 F: compile time) make the same decisions as the obvious
quadratic ones they replaced: rescanning the block after every fold, scanning back for the last
mention, re-counting reads until nothing dies.  The reference versions below are those, written
plainly; both run on the functions the compiler really gives the passes (the test corpora and
fuzzed programs) and must give equal IR."""
import os
import sys
import tempfile
import warnings
from collections import Counter

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
import corpus_control  # noqa: E402
import corpus_straight  # noqa: E402
import fuzzgen  # noqa: E402

from s2sgrad import compiler, differentiate  # noqa: E402
from s2sgrad.ir import (Assign, Call, Comment, Const, For, Function, If, Name, SetItem, While,  # noqa: E402
                        all_reads, expr_calls, expr_names, map_blocks, stmt_reads, stmt_writes, substitute, walk)
from s2sgrad.passes import optimize  # noqa: E402
from s2sgrad.passes.optimize import _nested_writes, _replace_in_stmt  # noqa: E402


# ------------------------------------------------------------------------------ reference passes
def ref_inline_block(block, temps, reads, defs):
    block = list(block)
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(block):
            if not (isinstance(s, Assign) and len(s.targets) == 1):
                continue
            t = s.target
            if t not in temps or reads[t] != 1 or defs[t] != 1 or (
                    isinstance(s.value, Call) and s.value.op == "iadd"):
                continue
            deps = set(expr_names(s.value))
            for j in range(i + 1, len(block)):
                u = block[j]
                if t in stmt_reads(u) and not isinstance(u, While):
                    block[j] = _replace_in_stmt(u, t, s.value)
                    del block[i]
                    changed = True
                    break
                if t in set(all_reads([u])) or (_nested_writes(u) & deps) or (
                        isinstance(u, SetItem) and u.target in deps):
                    break
            if changed:
                break
    return [map_blocks(s, lambda b: ref_inline_block(b, temps, reads, defs)) for s in block]


def ref_last_mention(out, s):
    v = s.target
    for i in range(len(out) - 1, -1, -1):
        st = out[i]
        if isinstance(st, Comment):
            continue
        if v in all_reads([st]) or v in _nested_writes(st):
            if isinstance(st, Assign) and isinstance(st.value, (Name, Const)):
                src = set(expr_names(st.value))
                if any(src & _nested_writes(x) for x in out[i + 1:]):
                    return -1
            return i
        if isinstance(st, (If, For, While)):
            return -1
    return -1


def ref_merge_rebinds(block):
    out = []
    for s in block:
        s = map_blocks(s, ref_merge_rebinds)
        prev_i = ref_last_mention(out, s) if isinstance(s, Assign) and len(s.targets) == 1 else -1
        prev = out[prev_i] if prev_i >= 0 else None
        if (isinstance(prev, Assign) and prev.targets == s.targets
                and isinstance(prev.value, (Name, Const)) and expr_names(s.value).count(s.target) == 1
                and not (isinstance(s.value, Call) and s.value.op == "iadd")):
            out = out[:prev_i] + out[prev_i + 1:]
            out.append(Assign(s.targets, substitute(s.value, {s.target: prev.value}), s.loc))
            continue
        out.append(s)
    return out


def ref_inline_temporaries(fn, temps):
    reads = Counter(all_reads(fn.body))
    defs = Counter(w for s in walk(fn.body) for w in stmt_writes(s))
    body = ref_merge_rebinds(ref_inline_block(fn.body, temps, reads, defs))
    return Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)


def ref_eliminate_dead(fn):
    def sweep(block, reads):
        out = []
        for s in block:
            if isinstance(s, Assign) and len(s.targets) == 1 and s.value == Name(s.target):
                continue  # x = x
            if isinstance(s, Assign) and all(reads[t] == 0 for t in s.targets) and not (
                    isinstance(s.value, Call) and s.value.op == ".pop") and not any(
                    c.op.startswith("np.random.") for c in expr_calls(s.value)):  # (a draw moves the generator)
                continue
            out.append(map_blocks(s, lambda b: sweep(b, reads)))
        return out
    body = list(fn.body)
    while True:
        new = sweep(body, Counter(all_reads(body)))
        if new == body:
            return Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)
        body = new


# ------------------------------------------------------------------------------------ the inputs
def _programs():
    out = [(fn, wrt, args) for fn, args, wrt, *_ in corpus_straight.CORPUS + corpus_control.CORPUS]
    rng = np.random.default_rng(0)
    fargs = (rng.uniform(-1, 1, (4,)), rng.uniform(-1, 1, (3, 4)), 0.3)
    mod = fuzzgen.load(fuzzgen.make_module(7, 60), tempfile.mkdtemp(), "opt_equiv")
    out += [(getattr(mod, f"f{i}"), ("x", "W", "s"), fargs) for i in range(60)]
    return out


@pytest.fixture(scope="module")
def pass_inputs():
    """(fn, temps) given to inline_temporaries and fn given to eliminate_dead, for every program."""
    seen_inline, seen_dead = [], []
    real_inline, real_dead = compiler.inline_temporaries, compiler.eliminate_dead

    def rec_inline(fn, temps):
        seen_inline.append((fn, set(temps)))
        return real_inline(fn, temps)

    def rec_dead(fn):
        seen_dead.append(fn)
        return real_dead(fn)
    compiler.inline_temporaries, compiler.eliminate_dead = rec_inline, rec_dead
    try:
        for fn, wrt, args in _programs():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    differentiate(fn, wrt=wrt).compiled_for(*args).seeded_source  # the seeded variant too (built on first use)
                except Exception:
                    pass  # refused programs give the passes nothing
    finally:
        compiler.inline_temporaries, compiler.eliminate_dead = real_inline, real_dead
    return seen_inline, seen_dead


def test_inline_temporaries_decides_as_the_rescanning_version(pass_inputs):
    inline, _ = pass_inputs
    assert len(inline) > 100
    folded = 0
    for fn, temps in inline:
        fast, ref = optimize.inline_temporaries(fn, temps), ref_inline_temporaries(fn, temps)
        assert fast == ref, fn.name
        folded += len(fn.body) - len(fast.body)
    assert folded > 100  # the passes really did fold temporaries on these inputs


def test_eliminate_dead_removes_what_the_recounting_version_removes(pass_inputs):
    _, dead = pass_inputs
    assert len(dead) > 100
    removed = 0
    for fn in dead:
        fast, ref = optimize.eliminate_dead(fn), ref_eliminate_dead(fn)
        # the dead-store pass after it (liveness at the top level) is not in the reference version
        ref = type(ref)(ref.name, ref.params, tuple(optimize._dead_stores(list(ref.body))), ref.defaults,
                        ref.header, ref.loc)
        assert fast == ref, fn.name
        removed += len(list(walk(fn.body))) - len(list(walk(fast.body)))
    assert removed > 50
