"""Static shape and dtype inference, specialised on the argument signature.

An abstract interpretation of the ANF program: each variable holds an abstract value --
`Known(v)` (a Python value known at compile time: constants, shapes, sizes), `PyNum(type)` (a Python
number whose value is not known), `Arr(shape, dtype, scalar)` (an array or numpy scalar whose shape
may be None when unknown) or `UNKNOWN`.  Primitives are evaluated on *dummy* values (zero-stride
arrays of the right shape and dtype), so numpy itself decides every result shape and dtype: no shape
rule is written twice.  Loops are iterated to a fixed point; branches are joined.

Guarantee: a shape recorded for a variable at a statement is the shape it has there on *every*
execution with arguments of this signature; anything that could differ is recorded as unknown, and
the reverse-mode driver then falls back to run-time checks (`runtime.unbroadcast`).
"""
from __future__ import annotations

import numpy as np

from ..ir import (Assign, Call, Const, For, If, ListExpr, Name, SetItem, Slice, Tuple, While, expr_names,
                  substitute, target_names)
from ..rules import RULES
from ..runtime import NAMESPACE
from .abstract import UNKNOWN, Arr, Known, ListOf, PyNum, abstract_of, join, runtime_int  # noqa: F401 (imported from here too)
from .dataflow import unbinds
from .shape_ranks import counted_appends, masked_rank, sized_at_run_time, sliced_rank, stacked
from .shape_ints import scalar_reductions, size_reads
from .shape_shortcut import shortcut
from .shape_eval import (_CONTRACTIONS, _Give_up, _compile, _dtype_of, _dtype_only, _index_names, _probed_dtype,
                         _run, _unknown_array, dummy)


_LIST_STACKS = {"np.stack", "np.array", "np.asarray", "np.concatenate", "np.hstack", "np.vstack", "np.column_stack"}


def _list_op(e, vals):
    """The abstract result of an operation on a list built at run time (None: not one)."""
    if not (isinstance(e, Call) and e.args and isinstance(e.args[0], Name)
            and isinstance(vals.get(e.args[0].id), ListOf)):
        return None
    lst = vals[e.args[0].id]
    if e.op == "list_append":
        v = e.args[1]
        new = vals.get(v.id, UNKNOWN) if isinstance(v, Name) else (Known(v.value) if hasattr(v, "value") else UNKNOWN)
        return ListOf(new if lst.elem is None else join(lst.elem, new), None if lst.length is None else lst.length + 1)
    if e.op == "list_pop":
        return ListOf(lst.elem)
    if e.op == "getitem":
        return lst.elem if lst.elem is not None else UNKNOWN
    if e.op == "len":
        return PyNum(int)
    if e.op == "list_sum":
        if len(e.args) == 1 or lst.elem is None:
            return lst.elem if lst.elem is not None else UNKNOWN
        st = e.args[1]
        start = vals.get(st.id, UNKNOWN) if isinstance(st, Name) else Known(getattr(st, "value", None))
        if lst.length == 0:  # sum([], s) is s
            return start
        try:  # (a list of unknown length is taken to hold items, as sum(ws) takes it)
            return abstract_of(dummy(lst.elem) + dummy(start))
        except (_Give_up, TypeError, ValueError):
            return UNKNOWN
    if e.op in _LIST_STACKS:
        return stacked(e, lst)
    return UNKNOWN


def evaluate(e, env: dict, namespace: dict):
    """Abstract value of expression e, given abstract values of the names it reads."""
    names = expr_names(e)
    vals = {n: env[n] if n in env else _DTYPES[n] if n in _DTYPES else
            UNKNOWN if "." not in n else _module_value(n, namespace) for n in names}
    listed = _list_op(e, vals)
    if listed is not None:
        return listed
    if isinstance(e, ListExpr) and not e.elts:
        return ListOf(None, 0)
    if any(v is UNKNOWN or v is None for v in vals.values()):
        return UNKNOWN if not isinstance(e, Call) or not RULES.get(e.op) else _unknown_array(e, vals)
    if isinstance(e, Call):
        rule = RULES.get(e.op)
        if rule is not None and rule.shape_from_values and any(
                isinstance(vals[n], PyNum) or (isinstance(vals[n], Arr) and vals[n].shape == ())
                for n in _sizing_names(e, names)):
            # np.arange(0.0, p[1], p[0]): the result's length depends on values only known at run time
            sized = sized_at_run_time(e, vals)
            if sized.dtype is None and e.op in _CONTRACTIONS:  # (np.tensordot(g, psi, axes=([1], [q])): the inputs' dtype)
                sized = Arr(None, _probed_dtype(e, vals, namespace), ndim=sized.ndim)
            return sized
        if e.op == "getitem":
            for n in _index_names(e):
                v = vals[n]
                if isinstance(v, Arr) and (v.dtype == np.bool_ or v.shape is None):
                    return Arr(None, _dtype_of(vals, e.args[0]), ndim=masked_rank(e, vals))
            if _boolean_parts(e.args[1], env, namespace):  # m[m > 0] written inline: its length is the
                return Arr(None, _dtype_of(vals, e.args[0]))  # mask's count, known at run time only
        if e.op in (".reshape", "np.reshape") and any(runtime_int(vals[n]) for n in names[1:]):
            return Arr(None, _dtype_of(vals, e.args[0]))
        if e.op == "getitem" and isinstance(e.args[1], (Slice, Tuple)):
            for n in _slice_names(e.args[1]):
                if runtime_int(vals[n]):
                    return Arr(None, _dtype_of(vals, e.args[0]), ndim=sliced_rank(e, vals))
    if any(isinstance(v, Arr) and (v.shape is None or v.dtype is None) for v in vals.values()):
        if isinstance(e, Name):  # a copy of a name (`H = t_2`) keeps its dtype: the complex rows read it
            return vals[e.id]
        extra = {}
        scal = scalar_reductions(e, vals, extra)  # np.sum(t), s + 3 * np.sum(t): the sum as a number
        if extra:
            return evaluate(scal, {**env, **extra}, namespace)
        if isinstance(e, Call) and e.op != "getitem":  # numpy's dtype, the shape unknown
            return _dtype_only(e, vals, namespace)
        return _unknown_array(e, vals)
    idx = _index_names(e)
    # the names renamed in order of appearance, so expressions that differ only in their names
    # (most of a long adjoint) share one compiled code object
    canon = {n: f"_v{i}" for i, n in enumerate(dict.fromkeys(names))}
    try:
        local = {canon[n]: dummy(v, n in idx) for n, v in vals.items()}
    except _Give_up:
        return UNKNOWN
    named = substitute(e, {n: Name(c) for n, c in canon.items()})
    code = _compile(named)
    try:
        result = shortcut(named, local, lambda c, values: _run(c, namespace, values))
        if result is None:
            result = _run(code, namespace, local)
    except Exception:
        if not _reads_linalg(e):
            return _unknown_array(e, vals)
        # inv/solve/cholesky of the all-ones placeholder raise (singular, not positive definite);
        # their result shapes depend on the argument shapes only, so an invertible placeholder of
        # the same shapes tells them
        try:
            result = _run(code, namespace, {n: _invertible(v) for n, v in local.items()})
        except Exception:
            return _unknown_array(e, vals)
    exact = all(isinstance(v, Known) for v in vals.values()) or (
        isinstance(e, Call) and e.op in _SHAPE_OPS and not any(isinstance(v, PyNum) for v in vals.values()))
    out = _abstract_result(result, exact)
    if isinstance(e, Call) and e.op in _VALUE_SHAPED and isinstance(out, Arr) and out.shape is not None \
            and not all(isinstance(vals[n], Known) for n in expr_names(e.args[0]) if n in vals):
        # np.bincount(bins, c): its length is bins.max() + 1, which the placeholders (all ones) do not
        # tell -- taken as (2,), r[1:] * w[1:] summed r's adjoint to one number (a silent wrong gradient)
        return Arr(None, out.dtype, out.scalar, ndim=len(out.shape))
    if isinstance(out, Arr) and out.shape is not None and any(runtime_int(v) for v in vals.values()) \
            and any(runtime_int(vals[n]) for n in size_reads(e)):  # (the walk only when such an int is read)
        # an int or bool known only at run time, read by a call that is not elementwise (an axis, a
        # size, keepdims): the shape computed with its placeholder value is one case, not the shape.
        # Taken as exact, x / np.sum(x, axis=k, keepdims=True) summed its adjoint along the wrong
        # axis for k = 0 (a silent wrong gradient); probing other values is a guess ((3, 1, 1) gives
        # one shape for axes 1 and 2)
        return Arr(None, out.dtype, out.scalar)
    return out


# rows whose result's length depends on the values of their first argument, not only its shape
_VALUE_SHAPED = frozenset({"np.bincount", "np.flatnonzero", "np.argwhere", "np.unique", "np.extract",
                           "np.trim_zeros", "np.compress"})


def _boolean_parts(index, env, namespace) -> bool:
    """Whether an index written inline (not a name) is, or holds, a boolean array: a mask selects as
    many elements as it has True ones, which placeholders cannot tell (their mask is all True)."""
    parts = index.elts if isinstance(index, Tuple) else (index,)
    for p in parts:
        if isinstance(p, Call) and p.op != "slice":
            v = evaluate(p, env, namespace)
            if v is UNKNOWN or isinstance(v, Arr) and (v.dtype is None or v.dtype == np.bool_):
                return True
    return False


_SIZING = {"np.full": (0, "shape"), "np.linspace": (2, "num"), "np.logspace": (2, "num"), "np.geomspace": (2, "num")}


def _sizing_names(e, names):
    """The names of a constructor's arguments that decide its shape (np.full's shape, not its fill
    value: np.full(3, -np.log(k)) has shape (3,) whatever k is); every name for the others."""
    where = _SIZING.get(e.op)
    if where is None:
        return names
    pos, kw = where
    parts = ([e.args[pos]] if len(e.args) > pos else []) + [v for k, v in e.kwargs if k == kw]
    return [n for p in parts for n in expr_names(p)]


_DTYPES = {"bool": Known(bool), "float": Known(float), "int": Known(int), "complex": Known(complex)}  # dtype=bool


def _module_value(path, namespace):
    """A dotted name such as np.float64 (a dtype in `.astype(np.float64)`): its value, known."""
    head, *rest = path.split(".")
    obj = namespace.get(head)
    for part in rest:
        obj = getattr(obj, part, None)
    return UNKNOWN if obj is None else Known(obj)


def _linalg_names():
    from ..runtime_jvp import NAMES as jvp
    from ..runtime_linalg import NAMES as linalg
    # (scipy.linalg's rows, rules/scipy_linalg.py: cho_factor needs a positive definite placeholder)
    scipy = {"scipy_solve_triangular", "scipy_cho_factor", "scipy_cho_solve", "solve_triangular_adjoint",
             "solve_triangular_tangent", "cho_factor_adjoint", "cho_factor_tangent", "cho_solve_adjoint",
             "cho_solve_tangent", "expm_adjoint"}
    return frozenset(linalg) | frozenset(jvp) | frozenset(scipy)


def _reads_linalg(e):
    """Whether expression e calls np.linalg or a linear-algebra helper of the generated code."""
    if isinstance(e, Call):
        if e.op.startswith("np.linalg.") or e.op in _linalg_names():
            return True
        return any(_reads_linalg(a) for a in e.args) or any(_reads_linalg(v) for _, v in e.kwargs)
    if isinstance(e, (Tuple, ListExpr)):
        return any(_reads_linalg(x) for x in e.elts)
    return False


def _invertible(d):
    """A placeholder like d whose square matrices (its last two axes, when equal) are the identity:
    invertible and positive definite, so inv, solve, cholesky and friends run on it."""
    if isinstance(d, np.ndarray) and d.ndim >= 2 and d.shape[-1] == d.shape[-2] and d.dtype.kind in "fc":
        return np.broadcast_to(np.eye(d.shape[-1], dtype=d.dtype), d.shape)
    return d


# results that depend on shapes only, so they are known exactly when the shapes are
_SHAPE_OPS = {"@shape", "@ndim", "@size", "len", "np.shape", "np.ndim", "np.size"}


def _slice_names(idx):
    out = []
    parts = idx.elts if isinstance(idx, Tuple) else (idx,)
    for p in parts:
        if isinstance(p, Slice):
            out += expr_names(p)
    return out


def _abstract_result(r, exact):
    if isinstance(r, np.ndarray):
        return Arr(r.shape, r.dtype)
    if isinstance(r, np.generic):
        return Arr((), r.dtype, scalar=True)
    if isinstance(r, (bool, int, float, complex)):  # (a Python complex: rules/fft.py's rows read it)
        return Known(r) if exact else PyNum(type(r))
    if isinstance(r, (tuple, str, range, slice, type(None))):
        return Known(r) if exact else UNKNOWN
    if type(r) is dict and exact:  # (a module-level dict of constants, or a subscript of one)
        return Known(r)
    if isinstance(r, list) and exact:
        return Known(tuple(r))
    return UNKNOWN


class ShapeInfo:
    """Per-statement abstract values: `before(stmt)[name]` and `after(stmt)[name]`."""

    def __init__(self):
        self._before = {}
        self._after = {}
        self.all = {}  # name -> join over the whole function
        self.namespace = dict(NAMESPACE)  # what evaluating an expression may read besides the names
        self.signature = {}  # parameter -> abstract value of the argument compiled for
        self.entry = {}  # name -> abstract value on entry (the arguments)
        self.exit = {}  # name -> abstract value at the end of the function (the returned result's)

    def record(self, stmt, before: dict, after: dict):
        k = id(stmt)
        b = self._before.setdefault(k, {})
        for n, v in before.items():
            b[n] = join(b.get(n), v)
        a = self._after.setdefault(k, {})
        for n, v in after.items():
            a[n] = join(a.get(n), v)
            self.all[n] = join(self.all.get(n), v)

    def rekey(self, old, new):
        """A statement rebuilt by a later pass keeps the records of the one it replaces."""
        for table in (self._before, self._after):
            if id(old) in table:
                table[id(new)] = table[id(old)]
        self._keep = getattr(self, "_keep", [])
        self._keep.append(old)  # ids stay unique only while the old statement is alive

    def before(self, stmt, name):
        return self._before.get(id(stmt), {}).get(name, UNKNOWN)

    def after(self, stmt, name):
        return self._after.get(id(stmt), {}).get(name, UNKNOWN)

    def at_exit(self, name):
        """The abstract value a name has when the function returns (rebinding-aware, unlike `all`)."""
        return self.exit.get(name, self.all.get(name, UNKNOWN))

    def at_entry(self, name):
        return self.entry.get(name, self.all.get(name, UNKNOWN))

    def shape_anywhere(self, name):
        v = self.all.get(name)
        return v.shape if isinstance(v, Arr) else (() if isinstance(v, (PyNum, Known)) else None)


def infer(fn, arg_values: dict, namespace: dict) -> ShapeInfo:
    """Run the abstract interpretation of a normalized Function for one signature."""
    info = ShapeInfo()
    ns = dict(NAMESPACE)
    ns.update(namespace)
    ns["iadd"] = lambda a, b: a + b  # `g += c` in generated code: same shape and dtype as g + c
    info.namespace = ns
    env = dict(arg_values)
    for n, v in arg_values.items():
        info.all[n] = v
    info.entry = dict(arg_values)
    _block(fn.body, env, info, ns)
    info.exit = env
    return info


def _block(body, env, info, ns):
    for s in body:
        _stmt(s, env, info, ns)


def _stmt(s, env, info, ns):
    if isinstance(s, Assign):
        reads = {n: env.get(n, UNKNOWN) for n in expr_names(s.value)}
        if unbinds(s) is not None:  # unbound (passes/unbound.py): no value at all
            env.pop(s.target, None)
            info.record(s, reads, {})
            return
        if isinstance(s.value, Call) and s.value.op == ".pop":
            # a record restored by generated code: the variable gets back a value it held before
            info.record(s, reads, {t: env.get(t, UNKNOWN) for t in s.targets})
            return
        _check_c_(s, env)
        value = evaluate(s.value, env, ns)
        if len(s.targets) == 1:
            env[s.target] = value
        else:
            for t in s.targets:
                env[t] = UNKNOWN
            rule = RULES.get(s.value.op) if isinstance(s.value, Call) else None
            if rule is not None and rule.kind == "custom_vjp":  # `y, y_res = f_fwd(x)`: y's value
                env[s.targets[0]] = evaluate(Call("getitem", (s.value, Const(0))), env, ns)
        info.record(s, reads, {t: env[t] for t in s.targets})
    elif isinstance(s, SetItem):
        reads = {n: env.get(n, UNKNOWN) for n in [s.target] + expr_names(s.index) + expr_names(s.value)}
        if isinstance(env.get(s.target), Known):  # d = [1.0] * 2; d[0] = c[0]: no longer the constant it was
            env[s.target] = UNKNOWN
        info.record(s, reads, {s.target: env.get(s.target, UNKNOWN)})
    elif isinstance(s, If):
        info.record(s, {n: env.get(n, UNKNOWN) for n in expr_names(s.test)}, {})
        e1, e2 = dict(env), dict(env)
        _block(s.body, e1, info, ns)
        _block(s.orelse, e2, info, ns)
        for n in set(e1) | set(e2):
            env[n] = join(e1.get(n), e2.get(n))
    elif isinstance(s, (For, While)):
        _loop(s, env, info, ns)


def _check_c_(s, env):
    """`np.c_[a, b]` reaches here as `np.column_stack((a, b))` (frontend/expressions.py): the same
    for pieces of up to two dimensions; numpy's c_ joins pieces of more along the last axis, where
    column_stack joins along axis 1, so those (and pieces of a number of dimensions not known when
    compiling) are refused rather than computed differently."""
    v = s.value
    if not (isinstance(v, Call) and v.op == "np.column_stack" and v.args and isinstance(v.args[0], Tuple)):
        return
    for piece in v.args[0].elts:
        a = env.get(piece.id, UNKNOWN) if isinstance(piece, Name) else None
        if a is None or isinstance(a, (Known, PyNum)):
            continue
        if not isinstance(a, Arr) or a.shape is None or len(a.shape) > 2:
            from ..errors import UnsupportedSyntaxError
            raise UnsupportedSyntaxError(
                f"np.c_[...] (or np.column_stack((...))) of '{piece.id}', an array of "
                + ("a number of dimensions not known when compiling" if not isinstance(a, Arr) or a.shape is None
                   else f"{len(a.shape)} dimensions")
                + ": numpy's c_ joins such pieces along the last axis, column_stack along axis 1; write "
                "np.concatenate([...], axis=-1) (or np.column_stack([...]))", s.loc)


def _loop(s, env, info, ns):
    trip = None
    if isinstance(s, For):
        it = evaluate(s.iter, env, ns)
        trip = len(it.value) if isinstance(it, Known) and isinstance(it.value, range) else None
    counted = counted_appends(s, env, trip)
    _fixed_point(s, env, info, ns)
    for n, length in counted.items():  # one append per pass of a known number of passes
        if isinstance(env.get(n), ListOf):
            env[n] = ListOf(env[n].elem, length)


def _fixed_point(s, env, info, ns):
    for _ in range(6):
        entry = dict(env)
        if isinstance(s, For):
            info.record(s, {n: env.get(n, UNKNOWN) for n in expr_names(s.iter)}, {})
            for t in target_names(s.target):
                it = evaluate(s.iter, env, ns)
                env[t] = PyNum(int) if _is_range(s.iter, it) else UNKNOWN
                info.all[t] = join(info.all.get(t), env[t])
        else:
            info.record(s, {n: env.get(n, UNKNOWN) for n in expr_names(s.test)}, {})
        _block(s.body, env, info, ns)
        changed = False
        for n in set(env) | set(entry):
            j = join(entry.get(n), env.get(n))
            if j != entry.get(n):
                changed = True
            env[n] = j
        if not changed:
            return
    for n in list(env):  # no fixed point: give up on what still changes
        if env[n] != entry.get(n):
            env[n] = UNKNOWN


def _is_range(e, abstract):
    return (isinstance(e, Call) and e.op in ("range", "getitem")) or (
        isinstance(abstract, Known) and isinstance(abstract.value, range))


__all__ = ["Known", "PyNum", "Arr", "UNKNOWN", "ShapeInfo", "infer", "evaluate", "abstract_of", "join", "dummy"]
