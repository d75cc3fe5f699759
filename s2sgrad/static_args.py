"""Arguments whose value the generated code is specialised on: a parameter read where a rule needs
a constant (`np.mean(x, axis=axis)`, `keepdims=keep`, `ddof=d`, `np.transpose(x, axes)`).

A rule that needs a constant and meets a name raises its "computed at run time" error with the
name attached (`runtime_name`, ad/context.py).  When that name is a parameter the function never
assigns, which is not differentiated, and whose argument is None, a bool, an int or a tuple of
them (numpy's ints and bools too), the parameter becomes static for the function: every signature key from then on carries its
value (type and value: `True` and `1` are different keys), and the function is compiled with the
parameter's reads replaced by that constant.  A call with another value compiles another
signature, as a new shape does; a call passing something else there (a float, an array) gets an
error naming the parameter.  Nothing is guessed: only a rule's own refusal makes a parameter static,
and the refusal stands for any name that is not such a parameter.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import ir
from .errors import ArgumentError, S2SGradError

_STATIC_TYPES = (bool, int, type(None))


def _one(v) -> bool:
    return type(v) in _STATIC_TYPES or isinstance(v, (np.integer, np.bool_))


def _static_value(v) -> bool:
    return _one(v) or (type(v) is tuple and all(_one(x) for x in v)) or _names(v)


def _names(v) -> bool:
    """A string or a tuple of strings (`acts=("relu", "tanh")`: a loop over it picks functions or
    keys when compiling)."""
    return type(v) is str or type(v) is tuple and all(type(x) is str for x in v)


def candidate(err, d, args):
    """The parameter `err` (a rule's refusal) asks to make static, or None."""
    name = getattr(err, "runtime_name", None)
    if name is None or name not in d._params or name in d._static or name in d.wrt:
        return None
    if name in ir.all_writes(d._parsed.ir.body):
        return None
    return name if _static_value(args[d._params.index(name)]) else None


def compiling(d, args, key_of, compile_one):
    """The compiled code for this call: `d._cache[key_of()]`, or `compile_one(key)` (which caches
    it).  A rule's refusal that makes a parameter static (`candidate`) adds it, and the code is
    looked up and compiled again under the key that now carries its value."""
    while True:
        key = key_of()
        c = d._cache.get(key)
        if c is not None:
            return c
        try:
            return compile_one(key)
        except S2SGradError as e:
            p = candidate(e, d, args)
            if p is not None:
                add(d, p, e.loc)
                continue
            sizes = size_parameters(d, args)
            if not sizes:
                raise
            for p in sizes:  # np.zeros(K) of an int argument K: shapes known in each signature
                add(d, p, e.loc)


def size_parameters(d, args) -> list:
    """The int parameters (never bound again, not differentiated, not static yet) the function
    reads where a value decides a shape (`np.zeros(K)`, `x.reshape(n, -1)`): made static after a
    refusal that may come of a shape known only at run time (a negative axis on an input of
    unknown rank), then compiled again; the refusal stands if it comes again."""
    from .passes.shape_ints import sized_names
    body = d._parsed.ir.body
    reads = sized_names(body)
    writes = set(ir.all_writes(body))
    return [p for i, p in enumerate(d._params) if p in reads and p not in d._static and p not in d.wrt
            and p not in writes and i < len(args) and (type(args[i]) is int or isinstance(args[i], np.integer))]


def add(d, p, loc) -> None:
    """Make parameter `p` static for `d` (`loc`: the line whose rule needed its value)."""
    d._static = d._static + (p,)
    d._static_locs = {**getattr(d, "_static_locs", {}), p: loc}


def key_part(d, args) -> tuple:
    """The static parameters' (type, value) pairs, for the signature key."""
    out = []
    for p in d._static:
        v = args[d._params.index(p)]
        if not _static_value(v):
            raise ArgumentError(f"'{p}' of {d.__wrapped_py__.__qualname__} is used here where a constant is needed "
                                f"(an axis, keepdims, ddof, names looped over...), so the code is generated for each of its "
                                f"values: pass None, a bool, an int, a string or a tuple of ints or of strings, not "
                                f"{type(v).__name__}",
                                getattr(d, "_static_locs", {}).get(p))
        out.append((type(v), v))
    return tuple(out)


def specialised(parsed, d, args):
    """`parsed` with the static parameters' reads replaced by this call's values."""
    if not d._static:
        return parsed
    from .passes.normalize import rename_block
    mapping = {p: _constant(args[d._params.index(p)]) for p in d._static}
    body = tuple(_fold_stmt(st) for st in rename_block(parsed.ir.body, mapping))
    return replace(parsed, ir=replace(parsed.ir, body=body))


def _constant(v):
    # a tuple of strings as the tuple literal it could have been written as (a container the
    # container pass reads); ints and tuples of ints as constants, which rules take as axes
    if type(v) is tuple and _names(v):
        return ir.Tuple(tuple(ir.Const(x) for x in v))
    return ir.Const(v)


def _fold(e):
    """`e` with `c is None` / `c is not None` (and against True/False) of constants decided: the
    value substituted for `axis` would otherwise print `1 is not None`, which Python warns about."""
    if isinstance(e, ir.Call):
        e = ir.Call(e.op, tuple(_fold(a) for a in e.args), tuple((k, _fold(v)) for k, v in e.kwargs))
        if e.op in ("is_", "is_not") and len(e.args) == 2 and all(isinstance(a, ir.Const) for a in e.args):
            a, b = (x.value for x in e.args)
            if a is None or b is None or type(a) is bool or type(b) is bool:
                return ir.Const((a is b) == (e.op == "is_"))
        return e
    if isinstance(e, (ir.Tuple, ir.ListExpr)):
        return type(e)(tuple(_fold(x) for x in e.elts))
    return e


def _fold_stmt(st):
    if isinstance(st, ir.Assign):
        return replace(st, value=_fold(st.value))
    if isinstance(st, ir.SetItem):
        return replace(st, index=_fold(st.index), value=_fold(st.value))
    if isinstance(st, ir.If):
        return replace(st, test=_fold(st.test), body=tuple(_fold_stmt(x) for x in st.body),
                       orelse=tuple(_fold_stmt(x) for x in st.orelse))
    if isinstance(st, ir.For):
        return replace(st, iter=_fold(st.iter), body=tuple(_fold_stmt(x) for x in st.body))
    if isinstance(st, ir.While):
        return replace(st, test=_fold(st.test), body=tuple(_fold_stmt(x) for x in st.body))
    if isinstance(st, (ir.Return, ir.ExprStmt)) and st.value is not None:
        return replace(st, value=_fold(st.value))
    return st


def guarded(compiled, d, args):
    """`compiled` with its standalone guard (cli.module_source) checking the static parameters'
    values too: a generated file run with another value must fail, not compute for the old one."""
    if d._static:
        checks = " and ".join(f"{p} == {args[d._params.index(p)]!r}" for p in d._static)
        line = f'assert {checks}, "generated for these values: regenerate with s2sgrad emit"'
        compiled.guard = f"{compiled.guard}\n    {line}" if compiled.guard else line
    return compiled
