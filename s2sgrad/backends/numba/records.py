"""Record stacks as preallocated arrays (numba backend).

The generated code keeps the values the reverse sweep needs in a list per loop
(`saved_per_step.append((diff, t2))` forward, `diff, t2 = saved_per_step.pop()` backward).  numba
compiles lists, but every append may reallocate.  When the stack is filled by a `for` loop over a
`range` at the top level of the function, one append per iteration, and every value appended is a
float64 number (known from the signature through s2sgrad's shape inference), the list becomes a
float64 array sized by the trip count before the loop, with a fill counter:

    saved_per_step = np.empty((len(range(20)), 6))
    saved_per_step_n = 0
    for step in range(20):
        ...
        saved_per_step[saved_per_step_n, 0] = diff
        ...
        saved_per_step[saved_per_step_n, 5] = t6
        saved_per_step_n += 1
    ...
        saved_per_step_n -= 1
        diff = saved_per_step[saved_per_step_n, 0]
        ...

Stacks filled under a condition, in a `while` loop, in nested loops, or holding arrays or integers
stay lists (numba's typed lists, growing as they go).
"""
from __future__ import annotations

import numpy as np

from ... import ir
from ...ir import Assign, Call, Const, For, Name


def preallocate(fn: ir.Function, signature: dict, namespace: dict) -> ir.Function:
    from ...passes.shapes import Arr, PyNum, evaluate
    env = {p: v for p, v in (signature or {}).items() if isinstance(v, (Arr, PyNum))}
    stacks = {s.targets[0] for s in fn.body if isinstance(s, Assign) and len(s.targets) == 1
              and isinstance(s.value, ir.ListExpr) and not s.value.elts}
    if not stacks:
        return fn
    plans = {}  # stack -> (the For statement, number of values per record)
    for s in fn.body:
        if isinstance(s, For) and isinstance(s.iter, Call) and s.iter.op == "range":
            inner = dict(env)
            if isinstance(s.target, Name):
                inner[s.target.id] = PyNum(int)
            for b in s.body:
                st = _appended(b)
                if st in stacks:
                    width = _float_width(b.value.args[1], inner, namespace, evaluate, Arr, PyNum)
                    plans[st] = (s, width) if width and st not in plans else (None, None)
                    continue
                if isinstance(b, Assign) and len(b.targets) == 1:
                    try:
                        inner[b.targets[0]] = evaluate(b.value, inner, namespace)
                    except Exception:  # noqa: BLE001 - unknown: nothing recorded from it is planned
                        inner.pop(b.targets[0], None)
                else:
                    for w in ir.all_writes([b]):
                        inner.pop(w, None)
            for w in ir.all_writes([s]):
                env.pop(w, None)
        elif isinstance(s, Assign) and len(s.targets) == 1:
            try:
                env[s.targets[0]] = evaluate(s.value, env, namespace)
            except Exception:  # noqa: BLE001
                env.pop(s.targets[0], None)
        else:
            for w in ir.all_writes([s]):
                env.pop(w, None)
    plans = {k: v for k, v in plans.items() if v[0] is not None and _only_stack_uses(fn.body, k, v[0])}
    if not plans:
        return fn
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))
    counters = {st: _fresh(f"{st}_n", taken) for st in plans}
    body = []
    for s in fn.body:
        if isinstance(s, Assign) and s.targets[0] in plans and isinstance(s.value, ir.ListExpr):
            continue  # allocated before its loop instead
        loops = [st for st, (loop, _) in plans.items() if loop is s]
        for st in loops:
            width = plans[st][1]
            shape = ir.Tuple((Call("len", (s.iter,)), Const(width))) if width > 1 else \
                ir.Tuple((Call("len", (s.iter,)),))
            body.append(Assign((st,), Call("np.empty", (shape,)), s.loc))
            body.append(Assign((counters[st],), Const(0), s.loc))
        body.append(_rewrite(s, plans, counters))
    return ir.Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)


def _is_append(s, st):
    """`st.append(v)` (an expression statement, or the IR's `st = list_append(st, v)`)."""
    v = getattr(s, "value", None)
    return isinstance(s, (Assign, ir.ExprStmt)) and isinstance(v, Call) and v.op in ("list_append", ".append") \
        and v.args[0] == Name(st)


def _appended(s):
    """The stack name `s` appends to, or None."""
    v = getattr(s, "value", None)
    if isinstance(s, (Assign, ir.ExprStmt)) and isinstance(v, Call) and v.op in ("list_append", ".append") \
            and isinstance(v.args[0], Name):
        return v.args[0].id
    return None


def _float_width(value, env, ns, evaluate, Arr, PyNum):
    """The number of values in a record when each is a float64 number, else None."""
    elts = value.elts if isinstance(value, ir.Tuple) else (value,)
    for e in elts:
        try:
            v = evaluate(e, env, ns)
        except Exception:  # noqa: BLE001
            return None
        ok = (isinstance(v, PyNum) and v.type is float) or (
            isinstance(v, Arr) and v.scalar and v.dtype is not None and np.dtype(v.dtype) == np.float64)
        if not ok:
            return None
    return len(elts) if isinstance(value, ir.Tuple) else 1


def _only_stack_uses(body, st, loop):
    """`st` is appended only in `loop`'s body (top level) and otherwise only popped."""
    for s in ir.walk(body):
        if st not in ir.stmt_reads(s) and st not in ir.stmt_writes(s):
            continue
        if isinstance(s, Assign) and isinstance(s.value, ir.ListExpr):
            continue
        if _is_append(s, st):
            if not any(b is s for b in loop.body):
                return False
            continue
        if isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op == ".pop" \
                and s.value.args == (Name(st),):
            continue
        if isinstance(s, (For, ir.If, ir.While)) and st not in ir.expr_names(getattr(s, "iter", None) or s.test):
            continue
        return False
    return True


def _rewrite(s, plans, counters):
    if isinstance(s, For):
        return For(s.target, s.iter, tuple(_rewrite_stmts(s.body, plans, counters)), s.loc)
    if isinstance(s, ir.If):
        return ir.If(s.test, tuple(_rewrite_stmts(s.body, plans, counters)),
                     tuple(_rewrite_stmts(s.orelse, plans, counters)), s.loc)
    if isinstance(s, ir.While):
        return ir.While(s.test, tuple(_rewrite_stmts(s.body, plans, counters)), s.loc)
    return s


def _rewrite_stmts(body, plans, counters):
    out = []
    for s in body:
        # one store / load per column: numba types a tuple written into (or unpacked from) an array
        # row about twenty times slower (seconds of compile time for a six-value record)
        if _appended(s) in plans:
            st = _appended(s)
            n = counters[st]
            value = s.value.args[1]
            if isinstance(value, ir.Tuple):
                for c, v in enumerate(value.elts):
                    out.append(ir.SetItem(st, ir.Tuple((Name(n), Const(c))), v, s.loc))
            else:
                out.append(ir.SetItem(st, Name(n), value, s.loc))
            out.append(Assign((n,), Call("iadd", (Name(n), Const(1))), s.loc))
            continue
        if isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op == ".pop" and s.value.args \
                and isinstance(s.value.args[0], Name) and s.value.args[0].id in plans:
            st = s.value.args[0].id
            n = counters[st]
            out.append(Assign((n,), Call("iadd", (Name(n), Call("neg", (Const(1),)))), s.loc))
            if len(s.targets) > 1 or plans[st][1] > 1:
                for c, t in enumerate(s.targets):
                    out.append(Assign((t,), Call("getitem", (Name(st), ir.Tuple((Name(n), Const(c))))), s.loc))
            else:
                out.append(Assign(s.targets, Call("getitem", (Name(st), Name(n))), s.loc))
            continue
        out.append(_rewrite(s, plans, counters))
    return out


def _fresh(name, taken):
    k, out = 1, name
    while out in taken:
        k += 1
        out = f"{name}{k}"
    taken.add(out)
    return out
