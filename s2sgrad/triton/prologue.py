"""Prologues: a product `v @ B` whose vector v is computed elementwise just before it takes that
computation into its own kernel (the RNN adjoint's `grad_t1 = grad_h * (1 - h * h)` followed by
`grad_h = grad_t1 @ W`: one kernel, not an elementwise kernel and a product).

The flat group over (1, K) that computes v becomes a product group: its statements are the
product's prologue, evaluated per K block inside the product's loop (each program recomputes the
blocks it needs; the programs of the first column block also store the prologue's outputs that
are read elsewhere, such as v for the rank-1 updates).  The planner moves the product up to the
group, so it applies only when nothing between them writes what the product reads, reads or
writes its result (plan.py's conflict check).

Guarantee: the product reads the same v, B and values as before; the prologue's statements
compute the same values in the same kernel arithmetic; its outputs are written once.
"""
from __future__ import annotations

from ..ir import Name, expr_names
from .gather import ONE_HOT


def can_take_prologue(planner, g, s, cls):
    """Whether product statement s (classified cls) can take flat group g as its prologue."""
    if cls[0] != "matmul" or g.kind != "flat" or g.reads_full_reduction or g.flat_row_results or g.row_full:
        return False
    a, b = s.value.args
    K = cls[2]
    if not (isinstance(a, Name) and a.id in g.assigned() and planner._vector_operand(a, g.dtype) == K):
        return False
    if g.space != (1, K) or K <= 1 or g.dtype != planner.dtype_of(s):
        return False
    if set(expr_names(b)) & set(g.assigned()) or s.target in g.assigned():
        return False  # B is computed by the group itself, or the product rebinds one of its names
    if any(ONE_HOT in _ops(st.value) for st in g.stmts):
        return False  # label columns are the space's columns, not the product's K
    return True


def take_prologue(g, s, cls):
    """Turn flat group g into the product s with g's statements as its prologue."""
    g.prologue, g.stmts = list(g.stmts), [s]
    g.kind, g.space = "matmul", cls[1]
    g.matmul = (s.target, s.value.args[0], s.value.args[1], cls[2])
    g.vector_left = True


def prologue_head(ks, bn):
    """The product loop of KernelSource ks with its group's prologue: per K block, the prologue's
    statements over `ks` instead of the tile's columns, the vector as the tile's row (masked lanes
    zero: a fused op can turn a masked 0 into something else), the prologue's outputs stored by
    the first column block, then B's block and the dot."""
    g = ks.g
    saved = ks.lines, ks.env, ks.ix
    ks.lines, ks.env, ks.ix = [], {}, ("0", "ks[None, :]", "kmask")
    loaded = set(ks.arrays)
    try:
        for st in g.prologue:
            ks.statement(st)
        ks.prologue_arrays = set(ks.arrays) - loaded  # read again by every column block
        lines, vector = ks.lines, ks.env[g.matmul[1].id]
        stores = [f"    tl.store({n}_out + ks[None, :] * {n}_o1, {ks.stored(n, ks.env[n])}, mask=kmask)"
                  for n, kind in ks.outputs if kind == "tile" and any(p.target == n for p in g.prologue)]
    finally:
        ks.lines, ks.env, ks.ix = saved
    if stores:
        stores = ["if pid_n == 0:  # one column block stores the vector"] + stores
    head = ["acc = tl.zeros((BM, BN), dtype=ACC)", "for k0 in range(0, K, BK):",
            "    ks = k0 + tl.arange(0, BK)", "    kmask = ks[None, :] < K"]
    head += ["    " + line for line in lines] + [f"    a = tl.where((rows < M) & kmask, {vector}, 0.0)"]
    head += ["    " + line for line in stores] + [
        f"    b = tl.load({bn}_ptr + ks[:, None] * {bn}_s0 + cols * {bn}_s1, mask=(ks[:, None] < K) & (cols < N), "
        "other=0.0)",
        f"    acc += tl.dot(a, b, input_precision=\"{ks.precision}\", out_dtype=ACC)"]
    return head


def _ops(e, out=None):
    out = [] if out is None else out
    if hasattr(e, "op"):
        out.append(e.op)
        for x in e.args:
            _ops(x, out)
    return out


__all__ = ["can_take_prologue", "take_prologue", "prologue_head"]
