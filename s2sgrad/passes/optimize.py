"""Optimizations on the generated function (IR -> IR).

- `inline_temporaries`: a temporary (an ANF temporary or the adjoint of one) that is assigned once
  and read once, later in the same block, with nothing in between writing what it reads, is folded
  into its use.  This turns `t1 = y_hat - y; t2 = np.square(t1)` back into `np.square(y_hat - y)`
  wherever the adjoint does not need `t1` itself.  Never moves work into a loop or a while test.
- `eliminate_dead`: drops pure assignments whose value nobody reads (the loss value, in the
  gradient-only variant).
- `reassociate_products`: scalar factors first in adjoint products (one pass per array factor).
- `common_subexpressions`: a sub-expression repeated within one adjoint statement is computed once.
- `single_masks`: a masked tangent read under the same mask reads it once (forward mode).

Both are safe to skip: they change how the code reads, never what it computes.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace

from ..ir import (Assign, Call, Comment, Const, ExprStmt, For, Function, If, ListExpr, Name, Return, SetItem, Tuple,
                  While, all_reads, expr_calls, expr_names, map_blocks, map_exprs, stmt_reads, stmt_writes, substitute,
                  walk)
from ..rules.custom import may_draw


def _counts(body):
    reads = Counter(all_reads(body))
    defs = Counter()
    for s in walk(body):
        for w in stmt_writes(s):
            defs[w] += 1
    return reads, defs


def _nested_writes(s):
    out = set(stmt_writes(s))
    if isinstance(s, (If, For, While)):
        for x in walk([s]):
            out |= set(stmt_writes(x))
    return out


def _replace_in_stmt(s, name, value):
    m = {name: value}
    if isinstance(s, Assign):
        return Assign(s.targets, substitute(s.value, m), s.loc)
    if isinstance(s, SetItem):
        return SetItem(s.target, substitute(s.index, m), substitute(s.value, m), s.loc, s.aug)
    if isinstance(s, ExprStmt):
        return ExprStmt(substitute(s.value, m), s.loc)
    if isinstance(s, If):
        return If(substitute(s.test, m), s.body, s.orelse, s.loc)
    if isinstance(s, For):
        return For(s.target, substitute(s.iter, m), s.body, s.loc)
    if isinstance(s, Return):
        return Return(substitute(s.value, m), s.loc)
    return s


def _inline_block(block, temps, reads, defs):
    """Fold single-use temporaries into their use (see the module docstring), in one pass.

    Same decisions as rescanning the block after every fold (a candidate that cannot be folded
    never becomes foldable by a later fold), found with per-name position indexes instead of
    scanning the statements between a definition and its use: near-linear in the block's size."""
    block = list(block)
    readpos, writepos = {}, {}
    rd = [set(all_reads([s])) for s in block]  # names each statement reads, nested blocks included
    for p, s in enumerate(block):
        for n in rd[p]:
            readpos.setdefault(n, []).append(p)
        for n in _nested_writes(s):
            writepos.setdefault(n, []).append(p)
    for i, s in enumerate(block):
        if not (isinstance(s, Assign) and len(s.targets) == 1):
            continue
        t = s.target
        if t not in temps or reads[t] != 1 or defs[t] != 1:
            continue
        if isinstance(s.value, Call) and s.value.op == "iadd" or _moves_state(s.value):
            continue  # (a draw folded into a later statement could come after a draw made there)
        at = readpos.get(t, ())
        k = bisect_right(at, i)
        if k == len(at):
            continue
        j = at[k]
        u = block[j]
        if isinstance(u, While) or (isinstance(u, (If, For)) and t not in stmt_reads(u)):
            continue
        deps = rd[i]
        if any(_first_after(writepos.get(d, ()), i) < j for d in deps):
            continue
        block[j] = _replace_in_stmt(u, t, s.value)
        block[i] = None
        rd[j] = (rd[j] - {t}) | deps  # t was read once, here
        for d in deps:
            ps = readpos[d]
            del ps[bisect_left(ps, i)]
            q = bisect_left(ps, j)
            if q == len(ps) or ps[q] != j:
                ps.insert(q, j)
    return [map_blocks(s, lambda b: _inline_block(b, temps, reads, defs)) for s in block if s is not None]


def _first_after(positions, i):
    k = bisect_right(positions, i)
    return positions[k] if k < len(positions) else float("inf")


def _merge_rebinds(block):
    """`v = a` followed at once by `v = f(v)` (v read once there) becomes `v = f(a)`, when `a` is a
    name or a constant: the first statement only named a value for the second.

    "At once": the last statement mentioning v, with no loop or branch after it and nothing after it
    writing `a`.  Found with per-name indexes (last mention, last write, last compound statement)
    rather than by scanning back: linear in the block's size."""
    out = []
    last_mention, last_write = {}, {}
    last_compound = -1
    for s in block:
        s = map_blocks(s, _merge_rebinds)
        if isinstance(s, Assign) and len(s.targets) == 1 and not (
                isinstance(s.value, Call) and s.value.op in ("iadd", "list_append", "list_pop")):
            # (`hs.append(h)` is written on its own name: a list handed over, `hs = items`, stays)
            v = s.target
            i = last_mention.get(v, -1)
            prev = out[i] if i > last_compound else None
            if (isinstance(prev, Assign) and prev.targets == s.targets and isinstance(prev.value, (Name, Const))
                    and not any(last_write.get(n, -1) > i for n in expr_names(prev.value))
                    and expr_names(s.value).count(v) == 1):
                out[i] = None
                s = Assign(s.targets, substitute(s.value, {v: prev.value}), s.loc)
        p = len(out)
        out.append(s)
        if isinstance(s, Comment):
            continue
        for n in all_reads([s]):
            last_mention[n] = p
        for n in _nested_writes(s):
            last_mention[n] = last_write[n] = p
        if isinstance(s, (If, For, While)):
            last_compound = p
    return [s for s in out if s is not None]


def _product_parts(e, is_scalar):
    """(coefficient, scalar numerators, scalar denominators, array numerators, array denominators)
    of a product tree (mul / neg / division); None for anything else."""
    if not (isinstance(e, Call) and e.op in ("mul", "neg", "truediv")):
        return None
    coef = [1]
    parts = ([], [], [], [])

    def walk_(x, den):
        if isinstance(x, Call) and x.op == "neg":
            coef[0] = -coef[0]
            walk_(x.args[0], den)
        elif isinstance(x, Call) and x.op == "mul":
            walk_(x.args[0], den)
            walk_(x.args[1], den)
        elif isinstance(x, Call) and x.op == "truediv" and not den:
            walk_(x.args[0], False)
            walk_(x.args[1], True)
        elif isinstance(x, Const) and isinstance(x.value, (int, float)) and not isinstance(x.value, bool) \
                and x.value != 0:
            coef[0] = coef[0] / x.value if den else coef[0] * x.value
        else:
            scalar = is_scalar(x)
            parts[(1 if den else 0) if scalar else (3 if den else 2)].append(x)
    walk_(e, False)
    return (coef[0],) + parts


def reassociate_products(fn: Function, is_scalar, dtype_of=None, only=frozenset(), float_leaf=None) -> Function:
    """Gather the scalar factors and the sign of each product in front of its array factors:
    `-(g * a) * 2 * x` becomes `-2 * g * a * x`, one pass over the arrays per array factor instead
    of one per factor (Python evaluates left to right: the scalars combine first).  A negative
    product added to an adjoint turns `+=` into `-=`.  Sums and scalar-only arithmetic are left as
    written.  Only assignments to the names in `only` (the adjoints) are touched: the forward sweep
    keeps the user's own arithmetic, rounding included.  A reordering that would change the
    product's dtype is not made (`float_leaf(x)`: x's type cannot, so no check is needed)."""
    from ..builder import E

    def rebuild(e):
        if isinstance(e, Call):
            args = tuple(rebuild(a) for a in e.args)
            if any(a is not b for a, b in zip(args, e.args)):
                e = Call(e.op, args, e.kwargs)
        parts = _product_parts(e, is_scalar)
        if parts is None:
            return e
        coef, snum, sden, anum, aden = parts
        if not anum and not aden:
            return e
        leaves = snum + sden + anum + aden
        if isinstance(coef, float) and coef.is_integer():
            coef = int(coef)
        negate = False
        if coef == -1 and snum:  # -g * a: the sign rides on the scalar
            front = -E(snum[0])
            snum = snum[1:]
        elif coef == -1:
            front, negate = E(Const(1)), True
        else:
            front = E(Const(coef))
        for x in snum:
            front = front * E(x)
        out = front
        for x in anum:
            out = out * E(x)
        # (a scalar divisor last: `1 / X.shape[0]` of two Python ints raises ZeroDivisionError for an
        # empty axis, where numpy's array / 0 gives what np.mean gives)
        for x in sden + aden:
            out = out / E(x)
        new = (-out).e if negate else out.e
        if coef == 1 and len(anum) == 1 and not (snum or sden or aden) and not (
                float_leaf is not None and float_leaf(anum[0])):
            return e  # `1.0 * m` -> `m` would make a mask's product a mask (and m + m a logical or)
        if float_leaf is not None and all(float_leaf(x) for x in leaves):
            return new  # floating factors only: no order changes the dtype (and checking costs)
        if dtype_of is not None and dtype_of(new) != dtype_of(e):
            return e  # e.g. 2 * mask would be an integer array where g * 2 * mask was float
        return new

    def stmt(s):
        if isinstance(s, Assign) and s.targets[0] in only:
            v = s.value
            if isinstance(v, Call) and v.op == "iadd":
                return Assign(s.targets, Call("iadd", (v.args[0], rebuild(v.args[1]))), s.loc)
            return Assign(s.targets, rebuild(v), s.loc)
        if isinstance(s, SetItem) and s.target in only:
            return SetItem(s.target, s.index, rebuild(s.value), s.loc, s.aug)
        return map_blocks(s, lambda b: [stmt(x) for x in b])
    return Function(fn.name, fn.params, tuple(stmt(s) for s in fn.body), fn.defaults, fn.header, fn.loc)


_CSE_OPS = {"add", "sub", "mul", "truediv", "pow", "neg", "matmul", "gt", "ge", "lt", "le", "eq", "ne",
            "np.exp", "np.log", "np.sqrt", "np.sin", "np.cos", "np.tanh", "np.sign", "np.where", ".sum", "np.sum",
            "np.outer", "np.expand_dims"}


def masked_parts(e):
    """(mask, x) of `np.where(mask, x, 0.0)`, else None."""
    if isinstance(e, Call) and e.op == "np.where" and len(e.args) == 3 and not e.kwargs \
            and isinstance(e.args[2], Const) and e.args[2].value == 0:
        return e.args[0], e.args[1]
    return None


def _unmasked(e, mask):
    """e with `np.where(mask, x, 0.0)` factors of its product chain (*, / numerator, -) read as x."""
    inner = masked_parts(e)
    if inner is not None and inner[0] == mask:
        return inner[1]
    if isinstance(e, Call) and not e.kwargs and (e.op in ("mul", "neg") or e.op == "truediv"):
        args = tuple(_unmasked(a, mask) if i == 0 or e.op == "mul" else a for i, a in enumerate(e.args))
        return Call(e.op, args) if args != e.args else e
    return e


def single_masks(fn: Function) -> Function:
    """`np.where(m, np.where(m, t, 0.0) * f, 0.0)` as `np.where(m, t * f, 0.0)`: a masked tangent
    (ad/forward.py keeps its zero where a factor is infinite) reads its mask once."""
    def simplify(e):
        if isinstance(e, Call):
            e = Call(e.op, tuple(simplify(a) for a in e.args), tuple((k, simplify(v)) for k, v in e.kwargs))
            outer = masked_parts(e)
            if outer is not None:
                body = _unmasked(outer[1], outer[0])
                if body is not outer[1]:
                    return Call("np.where", (outer[0], body, e.args[2]))
        elif isinstance(e, (Tuple, ListExpr)):
            return type(e)(tuple(simplify(a) for a in e.elts))
        return e
    return replace(fn, body=tuple(map_exprs(st, simplify) for st in fn.body))


def _subexpressions(e, out):
    if isinstance(e, Call):
        out.append(e)
        for a in e.args:
            _subexpressions(a, out)
        for _, v in e.kwargs:
            _subexpressions(v, out)
    return out


def common_subexpressions(fn: Function, only=frozenset()) -> Function:
    """A sub-expression computed twice in one adjoint statement is computed once, into a named
    temporary (`mask = logits == max_logits`) placed just before the statement.  Only sub-expressions
    strictly inside a right-hand side qualify: a temporary is only ever read, never an adjoint that a
    later `+=` could update in place."""
    taken = set(all_reads(fn.body)) | {w for s in walk(fn.body) for w in stmt_writes(s)} | set(fn.params)
    counter = [0]

    def fresh(e):
        base = "mask" if e.op in ("gt", "ge", "lt", "le", "eq", "ne") else "common"
        name = base
        while name in taken:
            counter[0] += 1
            name = f"{base}_{counter[0]}"
        taken.add(name)
        return name

    def rewrite(value, loc, out):
        while True:
            inner = value.args[1] if isinstance(value, Call) and value.op == "iadd" else value
            subs = _subexpressions(inner, [])[1:] if isinstance(inner, Call) else []
            seen, repeated = {}, None
            for x in subs:
                if x.op in _CSE_OPS:
                    seen[x] = seen.get(x, 0) + 1
            for x in sorted(seen, key=lambda x: -len(_subexpressions(x, []))):
                if seen[x] >= 2:
                    repeated = x
                    break
            if repeated is None:
                return value
            t = fresh(repeated)
            out.append(Assign((t,), repeated, loc))
            value = _replace_expr(value, repeated, Name(t))

    def block(b):
        out = []
        for st in b:
            st = map_blocks(st, block)
            if isinstance(st, Assign) and len(st.targets) == 1 and st.target in only:
                st = Assign(st.targets, rewrite(st.value, st.loc, out), st.loc)
            out.append(st)
        return out
    return Function(fn.name, fn.params, tuple(block(fn.body)), fn.defaults, fn.header, fn.loc)


def _replace_expr(e, old, new):
    if e == old:
        return new
    if isinstance(e, Call):
        return Call(e.op, tuple(_replace_expr(a, old, new) for a in e.args),
                    tuple((k, _replace_expr(v, old, new)) for k, v in e.kwargs))
    return e


def inline_temporaries(fn: Function, temps: set) -> Function:
    reads, defs = _counts(fn.body)
    body = _merge_rebinds(_inline_block(fn.body, temps, reads, defs))
    return Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)


def _moves_state(value) -> bool:
    """Whether computing value changes state even if nobody reads it: a record's pop (it moves a
    stack), a random draw (it moves numpy's generator: dropping `_ = np.random.randn(3)` gave the
    next draw other numbers than the plain function's)."""
    return isinstance(value, Call) and value.op == ".pop" or any(may_draw(c.op) for c in expr_calls(value))


def _dce_block(block, reads, removed, orders=frozenset()):
    """One backward sweep: an assignment nobody reads goes, and what it read is read once less
    (so a chain of dead statements goes in one sweep)."""
    out = []
    for s in reversed(block):
        if isinstance(s, Assign) and len(s.targets) == 1 and s.value == Name(s.target):  # grad_a = grad_a
            reads[s.target] -= 1
            removed[0] += 1
            continue
        if isinstance(s, Assign) and all(reads[t] == 0 for t in s.targets) and not _moves_state(s.value):
            for n in expr_names(s.value):
                reads[n] -= 1
            removed[0] += 1
            continue
        s = map_blocks(s, lambda b: _dce_block(b, reads, removed, orders))
        if isinstance(s, If) and not s.body and not s.orelse and _picks_position(s.test, orders):
            for n in expr_names(s.test):  # (sorted(key=)'s choice of an item no one reads: passes/sort_by_key.py)
                reads[n] -= 1
            removed[0] += 1
            continue
        out.append(s)
    out.reverse()
    return out


def _picks_position(test, orders) -> bool:
    """Whether test is `order[i] == k` (or its negation) of a sort_order list (passes/sort_by_key.py):
    ints compared, which never raises, so an if of nothing on it can go."""
    if isinstance(test, Call) and test.op == "not_" and len(test.args) == 1:
        test = test.args[0]
    return isinstance(test, Call) and test.op == "eq" and len(test.args) == 2 and isinstance(test.args[1], Const) \
        and isinstance(test.args[0], Call) and test.args[0].op == "getitem" and isinstance(test.args[0].args[0], Name) \
        and test.args[0].args[0].id in orders and isinstance(test.args[0].args[1], Const)


def drop_orphan_comments(block):
    """A `# grad of:` comment whose statements were optimised away goes too."""
    out = []
    for i, s in enumerate(block):
        s = map_blocks(s, drop_orphan_comments)
        if isinstance(s, Comment) and (i + 1 == len(block) or isinstance(block[i + 1], Comment)
                                       or type(block[i + 1]).__name__ == "Return"):
            continue
        out.append(s)
    return out


def eliminate_dead(fn: Function) -> Function:
    # removing a statement only lowers read counts, so the statements removed do not depend on the
    # order: sweep until a sweep removes nothing (one or two sweeps; loops may need more)
    body = list(fn.body)
    reads = Counter(all_reads(body))
    bound = {}  # name -> whether every binding is sort_order's list of ints
    for st in walk(body):
        for t in (st.targets if isinstance(st, Assign) else ()):
            bound[t] = bound.get(t, True) and len(st.targets) == 1 and isinstance(st.value, Call) \
                and st.value.op == "sort_order"
    orders = frozenset(n for n, only in bound.items() if only)
    while True:
        removed = [0]
        body = _dce_block(body, reads, removed, orders)
        if not removed[0]:
            break
    body = _dead_stores(body)
    return Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)


def _dead_stores(block):
    """A top-level assignment whose value is overwritten before any read goes (`grad_h = ...` for
    an input that is not differentiated, after grad_h was read by earlier code): liveness backwards
    over the function's top level; a loop or branch keeps everything it reads live and removes
    nothing inside it (conservative), and record pops stay (they move a stack)."""
    live = set()
    out = []
    for s in reversed(block):
        if isinstance(s, Assign) and not (set(s.targets) & live) and not _moves_state(s.value):
            continue
        if isinstance(s, Assign):
            live -= set(s.targets)
            live |= set(expr_names(s.value))
        elif isinstance(s, Return):
            live |= set(expr_names(s.value)) if s.value is not None else set()
        else:
            live |= set(all_reads([s]))
        out.append(s)
    out.reverse()
    return out
