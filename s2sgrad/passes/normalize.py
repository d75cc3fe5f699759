"""Normalization: helper inlining, single-exit returns, structured jumps (jumps.py), and ANF.

`normalize(fn)` guarantees about its output:
- **single exit**: the body has no Return; the function's value is the variable named by
  `NormalFunction.result` (early returns inside loops set a `returned` flag and break);
- **structured jumps**: every Break is the last statement of its block, nothing follows a
  statement that may break (the rest of the block was moved into the branches that fall through),
  and there is no Continue;
- **ANF**: every Assign's value is one primitive (a Call whose arguments are Names or Consts, or
  Slices/Tuples/Lists of those), a Name (copy) or a Const; the final primitive of a user statement
  assigns to the user's own name unless that name is also one of its arguments and the rule may
  read values (then a temporary holds the result and a copy follows, so the old value stays
  readable by the adjoint);
  If/While tests, For iterables and subscript indices stay expressions: they are never
  differentiated;
- temporaries are named deterministically after what they hold (`exp_x`, `t3`), never colliding
  with a user name;
- an `if` whose test constants decide (passes/constant_tests.py) is replaced by the block taken.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from typing import Optional

from ..ir import (Assign, Call, Const, Expr, ExprStmt, For, Function, If, ListExpr,
                  Name, Return, SetItem, Slice, Tuple, While, all_reads, all_writes, expr_calls, expr_names,
                  map_blocks, stmt_writes, substitute, walk)
from ..rules.custom import may_draw
from .constant_tests import fold_constant_branches, refuse_function_values
from .dataflow import UNBOUND, maybe_unbound
from .given_containers import given_not_none, given_of
from .jumps import _fresh, single_exit, structure_jumps  # (_fresh: the other passes import it from here)


def _constant(v):
    """A default value as IR: a number, string or None, or a tuple or list of them; else None."""
    if isinstance(v, (int, float, bool, type(None), str)):
        return Const(v)
    if isinstance(v, tuple) and hasattr(type(v), "_fields"):  # a named tuple: its fields by name
        return Const(v) if all(_constant(x) is not None for x in v) else None  # (passes/namedtuples.py)
    if isinstance(v, (tuple, list)) and len(v) <= 64:
        elts = [_constant(x) for x in v]
        if all(e is not None for e in elts):
            return Tuple(tuple(elts)) if isinstance(v, tuple) else ListExpr(tuple(elts))
    return None


# ------------------------------------------------------------------------------- renaming
def rename_block(body, mapping):
    out = []
    for s in body:
        if isinstance(s, Assign):
            out.append(Assign(tuple(mapping.get(t, t) for t in s.targets), _sub(s.value, mapping), s.loc, s.aug))
        elif isinstance(s, SetItem):
            target = mapping.get(s.target, s.target)  # (a parameter written into: the caller's name)
            out.append(replace(s, target=target.id if isinstance(target, Name) else target,
                               index=_sub(s.index, mapping), value=_sub(s.value, mapping)))
        elif isinstance(s, If):
            out.append(If(_sub(s.test, mapping), rename_block(s.body, mapping), rename_block(s.orelse, mapping), s.loc))
        elif isinstance(s, For):
            out.append(For(_sub(s.target, mapping), _sub(s.iter, mapping), rename_block(s.body, mapping), s.loc))
        elif isinstance(s, While):
            out.append(While(_sub(s.test, mapping), rename_block(s.body, mapping), s.loc))
        elif isinstance(s, Return):
            out.append(Return(None if s.value is None else _sub(s.value, mapping), s.loc))
        elif isinstance(s, ExprStmt):
            out.append(ExprStmt(_sub(s.value, mapping), s.loc))
        else:
            out.append(s)
    return tuple(out)


def _sub(e, mapping):
    return substitute(e, {k: (v if isinstance(v, Expr) else Name(v)) for k, v in mapping.items()})


def own_globals(parsed, captured: dict, taken, prefix):
    """`parsed` (a helper about to be inlined) with the globals it captured renamed where the
    caller's name means something else: another object in `captured` under that name, or a name in
    `taken` (the caller's locals).  A helper in another module reading its own `W` beside the
    caller's `W` read one array for both before."""
    mapping = {}
    for n, obj in parsed.captured.items():
        if (n in captured and captured[n] is not obj) or n in taken:
            new, k = f"{prefix}_{n}", 1
            while new in captured or new in taken or new in parsed.captured:
                k += 1
                new = f"{prefix}_{n}_{k}"
            mapping[n] = new
    if not mapping:
        return parsed
    return replace(parsed, ir=replace(parsed.ir, body=rename_block(parsed.ir.body, mapping)),
                   captured={mapping.get(n, n): obj for n, obj in parsed.captured.items()})


def inline_body(fn: Function, args, kwargs, prefix, caller_locals: set, py_fn, call_loc=None, avoid=(),
                star=None, spread=None, shared=frozenset()):
    """Inline a user helper: returns (statements, result expression) for the call site.  The
    helper's locals are renamed `<prefix>_<name>`, clear of `caller_locals` (to which they are
    added) and of `avoid` (the caller's globals: a local named like one would shadow it).  A
    `*args` parameter is the tuple of the extra arguments, then of `star`'s items (`h(x, *trees)`:
    star is `tuple(trees)`), which may only fill that parameter; a `**kwargs` parameter, made one
    parameter per keyword of this call (`spread`: key -> parameter, frontend/spread.py), gets them.
    `shared`: the caller's names the helper changes in place without binding them (a nested def's
    `hs.append(v)` of the enclosing function's list), kept as the caller's."""
    sig = inspect.signature(py_fn, follow_wrapped=False)
    var = next((p.name for p in sig.parameters.values() if p.kind is inspect.Parameter.VAR_POSITIONAL), None)
    if star is not None and var is None:
        raise TypeError("a starred argument s2sgrad can pass only to a *args parameter, after the others")
    try:
        bound = sig.bind(*args, **dict(kwargs))
    except TypeError as e:
        raise TypeError(str(e)) from None
    if star is not None and (var is None or any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and
                                                p.name not in bound.arguments and p.default is p.empty
                                                for p in sig.parameters.values())):
        raise TypeError("a starred argument s2sgrad can pass only to a *args parameter, after the others")
    values = {}
    for p in sig.parameters.values():
        if p.kind is inspect.Parameter.VAR_POSITIONAL and 0 in (spread or {}):  # one parameter per argument
            for i, v in enumerate(bound.arguments.get(p.name, ())):
                values[spread[i]] = v
        elif p.kind is inspect.Parameter.VAR_POSITIONAL:
            extra = Tuple(tuple(bound.arguments.get(p.name, ())))
            values[p.name] = extra if star is None else star if not extra.elts else Call("add", (extra, star))
        elif p.kind is inspect.Parameter.VAR_KEYWORD:  # **kwargs, one parameter per key (frontend/spread.py)
            for k, v in bound.arguments.get(p.name, {}).items():
                values[(spread or {})[k]] = v
        elif p.name in bound.arguments:
            values[p.name] = bound.arguments[p.name]
        elif p.default is not inspect.Parameter.empty and _constant(p.default) is not None:
            values[p.name] = _constant(p.default)  # (bandwidths=(0.5, 1.0, 2.0): a tuple of numbers)
        else:
            raise TypeError(f"parameter '{p.name}' needs a value s2sgrad can inline")
    body = given_not_none(fn.body, given_of(values))  # (weights=(1.0, 0.5) or None: `if weights is None:`)
    body, result = single_exit(body, set(fn.params) | set(all_writes(fn.body)))
    written = set(all_writes(body))
    # a parameter only written into (cache[k] = v), never bound again, is the caller's object itself
    rebound = {t for s in walk(body) if not isinstance(s, SetItem) for t in stmt_writes(s)}
    local_names = (set(fn.params) | written | set(all_reads(body)) | set(expr_names(result))) - set()
    mapping = {}
    for n in sorted(local_names):
        if n in fn.params and isinstance(values.get(n), (Name, Const)) and (
                n not in written or n not in rebound and isinstance(values.get(n), Name)):
            mapping[n] = values[n]
            continue
        if n not in fn.params and (n not in written or n in shared):
            continue  # a captured global of the helper, or the caller's list it appends to
        new = f"{prefix}_{n}"
        k = 2
        while new in caller_locals or new in avoid:
            new = f"{prefix}_{n}_{k}"
            k += 1
        caller_locals.add(new)
        mapping[n] = new
    stmts = [Assign((mapping[p],), values[p], call_loc or fn.loc) for p in fn.params if not isinstance(mapping.get(p), (Name, Const))
             and p in mapping]
    renamed, result = list(rename_block(body, mapping)), _sub(result, mapping)
    # a local the helper may read unbound starts each call unbound, not with the last call's value
    # (inlined in a loop, its names are the same on every pass): passes/unbound.py checks its reads
    bound = {mapping[p] for p in fn.params if isinstance(mapping.get(p), str)}
    late = maybe_unbound(stmts + renamed + ([ExprStmt(result, None)] if result is not None else []), bound)
    fresh = {n for n in mapping.values() if isinstance(n, str)} - bound
    stmts += [Assign((n,), UNBOUND, call_loc or fn.loc) for n in
              dict.fromkeys(n for v in late.values() for n in v) if n in fresh]
    stmts += renamed
    return stmts, result


# -------------------------------------------------------------------------------------- ANF
def _short(op):
    for p in ("np.linalg.", "np.", ".", "@"):
        if op.startswith(p):
            return op[len(p):]
    return op


# primitives whose derivative rule reads neither its arguments nor its result: `s = s + x` can
# overwrite s in place of a temporary, since the reverse sweep never needs the old s for it
_READS_NOTHING = {"add", "sub", "neg", "pos", "list_append", "list_pop"}  # hs.append(h), hs.pop(): one statement

_NAMED_OPS = {"sub": "diff", "getitem": "item", "matmul": "prod"}


class _ANF:
    def __init__(self, taken):
        self.taken = taken
        self.counter = 0

    def temp(self, e):
        base = None
        if isinstance(e, Call) and e.args and isinstance(e.args[0], Name):
            short = _short(e.op)
            if e.op == "@T":
                base = f"{e.args[0].id}_T"
            elif e.op == "getitem":
                base = f"{e.args[0].id}_item"
            elif e.op in _NAMED_OPS and len(e.args) == 2:
                base = _NAMED_OPS[e.op]
            elif len(e.args) == 1 or (e.op.startswith((".", "np.")) and all(not isinstance(a, Name) for a in e.args[1:])):
                base = f"{short}_{e.args[0].id}"
        if base is None or len(base) > 24 or not base.replace("_", "a").isidentifier():
            self.counter += 1
            base = f"t{self.counter}"
            while base in self.taken:
                self.counter += 1
                base = f"t{self.counter}"
        return _fresh(base, self.taken)

    def atom(self, e, out, loc):
        """An atom (Name/Const, or a Slice/Tuple/List of atoms) for e, appending statements to out."""
        if isinstance(e, (Name, Const)):
            return e
        if isinstance(e, Slice):
            return Slice(*(None if x is None else self.atom(x, out, loc) for x in (e.lower, e.upper, e.step)))
        if isinstance(e, (Tuple, ListExpr)):
            return type(e)(tuple(self.atom(x, out, loc) for x in e.elts))
        prim = self.primitive(e, out, loc)
        t = self.temp(prim)
        out.append(Assign((t,), prim, loc))
        return Name(t)

    def primitive(self, e, out, loc):
        """e as one primitive whose arguments are atoms."""
        if isinstance(e, Call):
            if e.op in ("bool_and", "bool_or") and not isinstance(e.args[1], (Name, Const)):
                return self.lazy(e, out, loc)
            if e.op == "getitem":
                return Call("getitem", (self.atom(e.args[0], out, loc), self.drawn(e.args[1], out, loc)))
            args = tuple(self.atom(a, out, loc) for a in e.args)
            kwargs = tuple((k, self.atom(v, out, loc)) for k, v in e.kwargs)
            return Call(e.op, args, kwargs)
        if isinstance(e, (Tuple, ListExpr)):
            return type(e)(tuple(self.atom(x, out, loc) for x in e.elts))
        return e

    def lazy(self, e, out, loc):
        """`a and b` / `a or b` with b computed only where Python computes it (b may raise, draw,
        or read a name bound only on that path): `t = a`, then `if t:` (`if not t:`) `t = b`."""
        t = self.temp(e)
        out.append(Assign((t,), self.atom(e.args[0], out, loc), loc))
        inner = []
        inner.append(Assign((t,), self.atom(e.args[1], inner, loc), loc))
        test = Name(t) if e.op == "bool_and" else Call("not_", (Name(t),))
        out.append(If(test, tuple(inner), (), loc))
        return Name(t)

    def drawn(self, index, out, loc):
        """An index kept inline (the reverse sweep evaluates it again), with each part that draws
        random numbers -- x[np.random.permutation(n)] -- bound to a name first: drawn once."""
        if isinstance(index, (Tuple, ListExpr)):
            return type(index)(tuple(self.drawn(x, out, loc) for x in index.elts))
        if isinstance(index, Slice):
            return Slice(*(None if x is None else self.drawn(x, out, loc) for x in (index.lower, index.upper,
                                                                                    index.step)))
        if isinstance(index, Call) and any(may_draw(c.op) for c in expr_calls(index)):
            return self.atom(index, out, loc)
        return index

    def block(self, body):
        out = []
        for s in body:
            if isinstance(s, Assign):
                prim = self.primitive(s.value, out, s.loc)
                tgt = s.targets[0]
                if len(s.targets) == 1 and isinstance(prim, Call) and tgt in expr_names(prim) \
                        and prim.op not in _READS_NOTHING:
                    t = self.temp(prim)
                    out.append(Assign((t,), prim, s.loc))
                    prim = Name(t)
                out.append(Assign(s.targets, prim, s.loc))
            elif isinstance(s, SetItem):
                index = self.drawn(s.index, out, s.loc)
                value = self.atom(s.value, out, s.loc)
                out.append(replace(s, index=index, value=value))
            elif isinstance(s, If):
                out.append(If(s.test, self.block(s.body), self.block(s.orelse), s.loc))
            elif isinstance(s, For):
                out.append(For(s.target, s.iter, self.block(s.body), s.loc))
            elif isinstance(s, While):
                out.append(While(s.test, self.block(s.body), s.loc))
            else:
                out.append(s)
        return tuple(out)


@dataclass
class NormalFunction:
    fn: Function        # normalized IR (no Return statements)
    result: str         # the variable holding the function's value
    aux: Optional[str] = None  # has_aux: the variable holding the auxiliary output
    checkpoint: object = None  # checkpoint=True / a number of snapshots (ad/checkpoint.py)


def own_counters(body, taken):
    """`for t in range(n): t = n - 1 - t; ...` as `for t_i in range(n): t = t_i; ...`: a loop's
    counter that its body binds again is an ordinary variable, given the counter at the top of each
    pass (the reverse sweep's loop sets the counter, and would read it where the body's value was
    meant: a wrong gradient); after the loop it holds the body's last value, as in Python."""
    out = []
    for s in body:
        s = map_blocks(s, lambda b: list(own_counters(b, taken)))
        if isinstance(s, For) and isinstance(s.target, Name) and s.target.id in all_writes(s.body):
            t = s.target.id
            counter = _fresh(f"{t}_i", taken)
            s = For(Name(counter), s.iter, (Assign((t,), Name(counter), s.loc),) + tuple(s.body), s.loc)
        out.append(s)
    return tuple(out)


def _own_locals(body, params, taken):
    """body with a local variable named like a name the generated code calls (`logsumexp = ...`,
    `unbroadcast = ...`, np) renamed `logsumexp_`: in the generated function it would hide the helper
    from every line of it (an UnboundLocalError where the adjoint calls it)."""
    from ..runtime import NAMESPACE
    clash = sorted(n for n in set(all_writes(body)) - set(params) if n in NAMESPACE)
    return rename_block(body, {n: _fresh(f"{n}_", taken) for n in clash}) if clash else body


def normalize(fn: Function) -> NormalFunction:
    taken = set(fn.params) | set(all_writes(fn.body)) | set(all_reads(fn.body))
    # `if self.class_weight:` of an attribute holding None: the branch not taken is dropped rather
    # than generated with `None[1]` in it (a SyntaxWarning when the generated code is compiled)
    body = fold_constant_branches(fn.body)
    refuse_function_values(body)  # (act of dense(x, W, act): folded in its tests, refused elsewhere)
    body = _own_locals(own_counters(body, taken), fn.params, taken)
    body, result = single_exit(body, taken)
    body = structure_jumps(body)
    anf = _ANF(taken)
    body = anf.block(body)
    if isinstance(result, Name) and result.id not in fn.params:
        name = result.id
    else:
        tmp = []
        loc = _last_loc(fn)
        prim = anf.primitive(result, tmp, loc) if not isinstance(result, Name) else result
        name = _fresh("out", taken)
        body = body + tuple(tmp) + (Assign((name,), prim, loc),)
    return NormalFunction(Function(_own_name(fn.name), fn.params, body, loc=fn.loc), name)


_SUFFIXES = ("_grad", "_value_and_grad", "_seeded", "_vjp", "_value_and_vjp", "_jvp", "_jvp_batched", "_tangent",
             "_adjoint", "_pullback")


def _own_name(name):
    """The function's name, or `name_fn` where a generated function's name (`quantile_grad` of a
    user's `def quantile`) would be that of a run-time helper the generated code calls (the
    definition would replace the helper in the module it is executed in)."""
    from ..runtime import NAMESPACE
    while any(name + suffix in NAMESPACE for suffix in _SUFFIXES):
        name += "_fn"
    return name


def _last_loc(fn):
    for s in reversed(list(walk(fn.body))):
        if isinstance(s, Return):
            return s.loc
    return fn.loc
