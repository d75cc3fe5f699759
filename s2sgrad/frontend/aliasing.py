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


def _shares(value) -> str | None:
    """What the value assigned may share its memory with (None: a new object, or immutable)."""
    if isinstance(value, Name):
        return f"'{value.id}'"
    if isinstance(value, Call) and value.op in ("stop_gradient",) and value.args:
        return _shares(value.args[0])
    if isinstance(value, Call) and value.op in VIEW_OPS and value.args:
        base = value.args[0]
        return f"'{ir.expr_src(base)}'" if isinstance(base, Name) else "another array"
    return None


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
    shared = _sharing(params, stmts)
    deferred = []
    for s in stmts:
        if isinstance(s, Assign) and s.aug and len(s.targets) == 1 and s.target in shared:
            x, sym = s.target, _aug_symbol(s.value)
            deferred.append(Deferred(x, s.loc, (
                f"'{x} {sym}= ...' updates the array {x} in place, and {x} may share it with {shared[x]} "
                f"(numpy semantics), which s2sgrad cannot follow; write '{x} = {x} {sym} ...' for a new "
                f"array (or copy first: {x} = {x}.copy())")))
        if isinstance(s, Assign) and len(s.targets) == 1 and not s.aug:
            base = _view_base(s.value)
            if base is not None and base in written and s.target != base:
                line = written[base].loc.line if written[base].loc else "?"
                src = ir.expr_src(s.value)
                deferred.append(Deferred(s.target, s.loc, (
                    f"'{s.target} = {src}' may be a view of '{base}', which is assigned into (line {line}): "
                    f"numpy would let that write change {s.target}, which s2sgrad will not guess; write "
                    f"'{s.target} = {src}.copy()' to keep the values, or index {base} where you use it")))
    return tuple(deferred)


def _aug_symbol(value) -> str:
    if isinstance(value, Call) and value.op == "stop_gradient":
        value = value.args[0]
    sym = ir.INFIX.get(value.op) if isinstance(value, Call) else None
    return sym[0] if sym else "op"


def _sharing(params, stmts) -> dict:
    """name -> what it may share its array with, over every binding in the function
    (flow-insensitive, so conservative: one sharing binding anywhere marks the name)."""
    shared = {p: "the caller's argument" for p in params}
    for s in stmts:
        if isinstance(s, Assign) and not s.aug:
            if len(s.targets) > 1:
                for t in s.targets:
                    shared.setdefault(t, "the tuple it was unpacked from")
                continue
            what = _shares(s.value)
            if what is not None:
                shared.setdefault(s.target, what)
        elif isinstance(s, For):
            for t in ir.target_names(s.target):
                shared.setdefault(t, "the sequence it iterates")
    return shared


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


def refuse_deferred(deferred, shapes, generic: bool):
    """Apply the per-signature checks: refuse where the name holds a mutable array (or may)."""
    from ..passes.shapes import UNKNOWN, Arr
    for d in deferred:
        v = shapes.all.get(d.name, UNKNOWN)
        mutable = (isinstance(v, Arr) and not v.scalar) or (v is UNKNOWN and not generic)
        if mutable:
            raise UnsupportedSyntaxError(d.message, d.loc)
