"""The alias and view fence: numpy's in-place semantics that s2sgrad will not guess about.

numpy lets two names share one array (`w = v`, a loop element `row` of `z`, a slice `v[1:]`, the
caller's argument) and lets `+=`, `*=` and `y[i] = ...` change that array behind every name.  The
IR treats an assignment as binding a new value, so such a program could be differentiated as if the
other names kept their old values: a silent wrong gradient.  This module decides, on the lowered IR
of the whole function (helpers already inlined), which programs are provably free of that, and
refuses the rest at the user's line with the rewrite to use.

Guarantee: a program that passes `check` and the `Deferred` checks of its signature has no
augmented assignment to an array that another name may share, no subscript write into the caller's
array or into an array another name shares, no view of a written array kept under a name, no write
whose index reads the array written, and no write through a constant index that repeats an element.

Decided from the source alone (raised at decoration): the subscript rules.  Decided per signature
(`Deferred`, checked by the compiler once shapes are known): whether a name updated in place or a
kept view really is an array (`s += b` on a Python float or `r = y[i]` on a 1-D `y` is fine).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, ListExpr, Name, SetItem, Tuple

# operations whose result may share memory with an argument (numpy returns a view)
VIEW_OPS = frozenset({
    "getitem", "@T", ".reshape", "np.reshape", "np.transpose", ".transpose", "np.broadcast_to",
    "np.expand_dims", "np.squeeze", ".squeeze", "np.ravel", ".ravel", "np.asarray", "np.asanyarray",
    "stop_gradient", "stop_gradient_identity", "np.swapaxes", ".swapaxes", "np.moveaxis", "np.rollaxis",
    "np.diagonal", ".diagonal", "np.flip", "np.flipud", "np.fliplr", "np.rot90", "np.atleast_1d",
    "np.atleast_2d", "np.atleast_3d", ".view", "np.split", "np.array_split", "np.hsplit", "np.vsplit",
    "np.dsplit", "np.real", "np.imag", ".real", ".imag",
})


@dataclass(frozen=True)
class Deferred:
    """A refusal that applies only when `name` holds a mutable array in this signature."""
    name: str
    loc: object
    message: str
    when: str = "before"  # the name's value before the statement (an update) or after (a binding)


def _view_base(value):
    if isinstance(value, Call) and value.op == "stop_gradient" and value.args:
        return _view_base(value.args[0])
    if isinstance(value, Call) and value.op in VIEW_OPS and value.args and isinstance(value.args[0], Name):
        return value.args[0].id
    return None


def check(params, body) -> tuple:
    """Raise for what is unsound from the source alone; return the per-signature `Deferred` checks."""
    stmts = list(ir.walk(body))
    written = {s.target: s for s in stmts if isinstance(s, SetItem)}
    _check_writes(params, stmts, written)
    deferred = {}
    _Sharing(deferred).block(body, {p: {"the caller's argument"} for p in params})
    for s in stmts:
        if isinstance(s, Assign) and len(s.targets) == 1 and not s.aug:
            base = _view_base(s.value)
            if base is not None and base in written and s.target != base:
                line = written[base].loc.line if written[base].loc else "?"
                src = ir.expr_src(s.value)
                deferred[id(s)] = Deferred(s.target, s.loc, (
                    f"'{s.target} = {src}' may be a view of '{base}', which is assigned into (line {line}): "
                    f"numpy would let that write change {s.target}, which s2sgrad will not guess; write "
                    f"'{s.target} = {src}.copy()' to keep the values, or index {base} where you use it"), "after")
    return tuple(deferred.values())


def _aug_symbol(value) -> str:
    if isinstance(value, Call) and value.op == "stop_gradient":
        value = value.args[0]
    sym = ir.INFIX.get(value.op) if isinstance(value, Call) else None
    return sym[0] if sym else "op"


class _Sharing:
    """Flow-sensitive: which names may share their array with another name at each point.

    State: name -> set of descriptions of what it may share with (absent or empty: it owns its
    array, or holds an immutable value).  Sharing is symmetric (`w = v` lets an update of either
    change the other); branches join by union; loops run to a fixed point.  An augmented
    assignment to a name that may share its array is recorded as a `Deferred` refusal."""

    def __init__(self, deferred):
        self.deferred = deferred

    def block(self, body, state):
        for s in body:
            state = self.stmt(s, state)
        return state

    def stmt(self, s, state):
        if isinstance(s, Assign):
            if s.aug and len(s.targets) == 1:
                x = s.target
                if state.get(x):
                    sym = _aug_symbol(s.value)
                    why = " or ".join(sorted(state[x]))
                    self.deferred[id(s)] = Deferred(x, s.loc, (
                        f"'{x} {sym}= ...' updates the array {x} in place, and {x} may share it with {why} "
                        f"(numpy semantics), which s2sgrad cannot follow; write '{x} = {x} {sym} ...' for a "
                        f"new array (or copy first: {x} = {x}.copy())"))
                return state  # in place: the sharing stays as it was
            state = dict(state)
            if len(s.targets) > 1:
                for t in s.targets:
                    state[t] = {"the tuple it was unpacked from"}
                return state
            t = s.target
            src = _view_source(s.value)
            if src is None:
                state[t] = set()
            else:
                state[t] = {f"'{src}'"} | {w for w in state.get(src, set()) if w != f"'{t}'"}
                state[src] = state.get(src, set()) | {f"'{t}'"}
            return state
        if isinstance(s, ir.If):
            a = self.block(s.body, dict(state))
            b = self.block(s.orelse, dict(state))
            return {n: a.get(n, set()) | b.get(n, set()) for n in set(a) | set(b)}
        if isinstance(s, (For, ir.While)):
            entry = dict(state)
            if isinstance(s, For):
                for t in ir.target_names(s.target):
                    entry[t] = {"the sequence it iterates"}
            for _ in range(8):
                out = self.block(s.body, dict(entry))
                merged = {n: entry.get(n, set()) | out.get(n, set()) for n in set(entry) | set(out)}
                if merged == entry:
                    break
                entry = merged
            return entry
        return state


def _view_source(value):
    """The name whose array the assigned value may share (None: a new object, or immutable)."""
    if isinstance(value, Name):
        return value.id
    return _view_base(value)


def _check_writes(params, stmts, written):
    """`y[i] = v` is differentiated for arrays the function owns."""
    if not written:
        return
    rebound = set()
    for s in stmts:
        if isinstance(s, SetItem):
            if s.target in params and s.target not in rebound:
                raise UnsupportedSyntaxError(
                    f"assignment into argument '{s.target}' would change the caller's array; "
                    f"copy it first ({s.target} = {s.target}.copy())", s.loc)
            if s.target in ir.expr_names(s.index):
                raise UnsupportedSyntaxError(
                    f"the index of this write into '{s.target}' reads '{s.target}' itself (an in-place masked "
                    f"write): the mask would be taken after the write. Build a new array instead, e.g. "
                    f"'{s.target} = np.where(mask, value, {s.target})' or '{s.target} = np.maximum({s.target}, 0)' "
                    "for an in-place ReLU", s.loc)
            dup = _repeated_constant_index(s.index)
            if dup is not None:
                raise UnsupportedSyntaxError(
                    f"this write into '{s.target}' repeats index {dup}: numpy keeps only the last write, so "
                    "each position must appear once (remove the repeated index)", s.loc)
        if isinstance(s, Assign):
            if isinstance(s.value, Name) and (s.value.id in written or s.target in written) and not s.aug:
                raise UnsupportedSyntaxError(
                    f"'{s.target} = {s.value.id}' makes two names for an array that is assigned into "
                    f"(y[i] = ...); use .copy() so each name has its own array", s.loc)
            rebound.update(s.targets)


def _repeated_constant_index(index):
    parts = index.elts if isinstance(index, Tuple) else (index,)
    for p in parts:
        if isinstance(p, ListExpr) and all(isinstance(e, Const) for e in p.elts):
            seen = set()
            for e in p.elts:
                if e.value in seen:
                    return e.value
                seen.add(e.value)
    return None


def refuse_deferred(deferred, fn, shapes, generic: bool):
    """Apply the per-signature checks on the normalized function `fn`: refuse where the name holds
    a mutable array (or may) at the statement in question."""
    from ..passes.shapes import UNKNOWN, Arr, join
    sites = {}
    for st in ir.walk(fn.body):
        if isinstance(st, Assign) and st.loc is not None:
            for t in st.targets:
                sites.setdefault((t, st.loc), []).append(st)
    for d in deferred:
        found = sites.get((d.name, d.loc))
        if found:
            v = None
            for st in found:
                v = join(v, shapes.before(st, d.name) if d.when == "before" else shapes.after(st, d.name))
        else:
            v = shapes.all.get(d.name, UNKNOWN)
        mutable = (isinstance(v, Arr) and not v.scalar) or (v is UNKNOWN and not generic)
        if mutable:
            raise UnsupportedSyntaxError(d.message, d.loc)
