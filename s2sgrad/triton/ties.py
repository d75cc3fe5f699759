"""Structural ties: a comparison and the max/min it compares against see one implementation.

`x == np.max(x, axis=1)` is true at the row's maximum by construction, and the max rule's adjoint
(and users' argmax masks) rely on that.  When the compared expression is *computed* twice -- once
inside the reduction's argument, once as the comparison's operand (`np.tanh(W) == np.max(np.tanh(W))`)
-- the two computations give equal values only if they run the same code.  A kernel's `_tanh`, `exp`
or contracted multiply-add and torch's host functions differ by an ulp on about half of all inputs,
so a maximum computed in a kernel and compared on the host (or the reverse) can match nowhere, and
the mask, hence the gradient, is silently wrong (the fuzz found it: 5.4 off where it should be 0).

`split_sides(program body)` finds every function that jumps at a tie (a comparison, np.sign,
np.heaviside, np.isclose, floor, round, mod, argmax...) whose operands depend on a selecting result
(max, min, sort, median, clip, maximum...), and the statements that compute its operands separately:
everything upstream of the names it reads that is not upstream of two of them, counting a name
bound twice as two values, and the call's own inline arithmetic.  If those run on more than one
side (the host's torch; kernels' elementwise and row code; cuBLAS products; each fused tl.dot
product, whose sums run in its own tile order), it returns the kernel ones: plan.plan() then plans
again with them kept on the host, so every computation runs through torch.  Values computed once
and read by both (a Name read from memory, as in the max adjoint's `x == red`) never count: they
are the same numbers wherever they are read, so the softmax and cross-entropy plans are untouched.

Within the kernel side, one function prints an elementwise expression for every kernel
(kernelexpr.py), but the compiler could still contract `a * b + c` into one multiply-add in one
kernel and not in another (or in one of a rows kernel's loops and not the next: the contraction
depends on the code around it).  `analyse` also names the kernel groups that compute any part of
a tie's operands (a rows kernel recomputes even a shared one in each loop over the row); their
kernels are compiled with `enable_fp_fusion=False` (every multiply and add rounded on its own, as
the interpreter and torch do), so the same expression gives the same bits in each.

Guarantee: after planning converges, no such function depends on one expression computed on two
sides, and every kernel computing a part of one is compiled without multiply-add contraction.
"""
from __future__ import annotations

from collections import defaultdict

from .. import ir
from ..ir import Assign, SetItem, expr_calls, expr_names

# reductions and functions whose result equals one of their inputs elementwise: the structural ties
SELECTING = {"np.max", ".max", "np.amax", "np.min", ".min", "np.amin", "np.nanmax", "np.nanmin",
             "np.median", "np.percentile", "np.quantile", "np.sort", ".sort", "np.ptp",
             "np.maximum", "np.minimum", "np.fmax", "np.fmin", "np.clip", ".clip"}
COMPARING = {"eq", "ne", "gt", "ge", "lt", "le"}
# functions that jump where their operands tie (x - max == 0), comparisons included: a one-ulp
# difference between two implementations moves the jump
DISCONTINUOUS = COMPARING | {
    "np.equal", "np.not_equal", "np.greater", "np.greater_equal", "np.less", "np.less_equal", "np.isclose",
    "np.sign", "np.heaviside", "np.signbit", "np.floor", "np.ceil", "np.round", "np.around", "np.rint",
    "np.trunc", "np.fix", "floordiv", "mod", "np.floor_divide", "np.mod", "np.fmod", "np.remainder",
    "np.argmax", "np.argmin", "np.argsort", ".argmax", ".argmin", ".argsort"}
# ops whose result is bit-identical on any device: they do not make a second implementation
EXACT = {"neg", "pos", "abs", "np.abs", "stop_gradient"}


def _computes(e) -> bool:
    return any(c.op not in EXACT and c.op not in COMPARING for c in expr_calls(e))


def _selects(e) -> bool:
    return any(c.op in SELECTING for c in expr_calls(e))


def _statements(body):
    """(statement, side, its KernelGroup or None) for every Assign/SetItem of a planned body,
    kernels' statements included.  A side is one implementation: "host" (torch), "kernel"
    (elementwise and row work, printed by one function in every kernel), "cublas" for a product a
    launcher hands to torch.matmul, and a side of its own for each fused product (tl.dot, whose sums
    run in its own tile order), keyed by its group: groups are numbered only once planning ends."""
    from .plan import KernelGroup  # plan imports this module
    for item in ir.walk(body):
        if isinstance(item, KernelGroup):
            plain = item.kind == "matmul" and len(item.stmts) == 1 and not item.prologue
            for s in list(item.prologue) + list(item.stmts):
                product = item.kind == "matmul" and s is item.stmts[0]
                yield s, ("cublas" if plain else f"dot{id(item)}") if product else "kernel", item
        elif isinstance(item, (Assign, SetItem)):
            yield item, "host", None


def _definitions(stmts):
    """name -> its defining statements, and the ids of statements whose every target is bound once:
    a statement is one value for every reader only then (a name bound twice, `T = np.tanh(np.clip(W,
    ...))` and later `T = np.tanh(W)`, is two values)."""
    defs = defaultdict(list)
    for s, _, _ in stmts:
        for t in ((s.target,) if isinstance(s, SetItem) else s.targets):
            defs[t].append(s)
    single = {id(s) for s, _, _ in stmts
              if all(len(defs[t]) == 1 for t in ((s.target,) if isinstance(s, SetItem) else s.targets))}
    return defs, single


def analyse(body) -> tuple:
    """(ids of kernel statements to keep on the host, empty when the plan is sound; ids of the
    KernelGroups computing any part of a tie's operands, to compile without multiply-add
    contraction -- shared statements count too: a rows kernel recomputes them in each loop)."""
    stmts = list(_statements(body))
    side = {id(s): where for s, where, _ in stmts}
    group = {id(s): id(g) for s, _, g in stmts if g is not None}
    defs, single = _definitions(stmts)
    force, exact = set(), set()
    for separate, operands in _separate_operands(stmts, defs, single):
        if len({side[id(d)] for d in separate}) > 1:
            force |= {id(d) for d in separate if side[id(d)] != "host"}
        exact |= {group[id(d)] for d in operands if id(d) in group and _arithmetic(d.value)}
    return force, exact


def split_sides(body) -> set:
    """ids of kernel statements to keep on the host (see the module docstring); empty when sound."""
    return analyse(body)[0]


def _separate_operands(stmts, defs, single):
    """For each function that jumps at a tie and reads a selecting result: (the statements that
    compute its operands separately (see the module docstring), every statement its operands
    depend on and its own)."""

    def cone(name):
        """The defining statements a name depends on, transitively."""
        seen, todo = {}, [name]
        while todo:
            for d in defs.get(todo.pop(), ()):
                if id(d) not in seen:
                    seen[id(d)] = d
                    todo.extend(expr_names(d.value))
        return seen

    for s, _, _ in stmts:
        for c in expr_calls(s.value):
            if c.op not in DISCONTINUOUS:
                continue
            roots = list(dict.fromkeys(n for a in c.args for n in expr_names(a)))
            cones = [cone(n) for n in roots]
            reached = {k: d for cn in cones for k, d in cn.items()}
            if not (any(_selects(a) for a in c.args) or any(_selects(d.value) for d in reached.values())):
                continue
            shared = {k for k in reached if k in single and sum(k in cn for cn in cones) > 1}
            separate = [d for k, d in reached.items() if k not in shared and _computes(d.value)]
            if any(_computes(a) for a in c.args):
                separate.append(s)
            yield separate, list(reached.values()) + [s]


def _arithmetic(e) -> bool:
    """Whether e computes anything a compiler could contract (a max of names only selects)."""
    return any(c.op not in EXACT and c.op not in COMPARING and c.op not in SELECTING for c in expr_calls(e))
