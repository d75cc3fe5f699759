"""np.einsum for the numba backend, which has none: each distinct subscripts string becomes a
function of plain loops written into the generated module.

`np.einsum('ij,jk->ik', a, b)` reads `einsum__ij_jk__ik(a, b)`; the name spells the subscripts, so
the function's text follows from the name alone (`source_of`), the same subscripts in two places
share one function, and the module's digest changes with them.  The loops run over the output's
indices, then over the summed ones, accumulating in a local of numpy's result type (the type of the
operands' product).  Repeated indices keep numpy's meaning: `ii->` is a trace, `ii->i` a diagonal.

runtime_grads.einsum_grad (an operand's adjoint where the rule could not write an einsum inline:
the operand repeats an index or has indices no other operand or the output has) becomes the same
kind of function with one more argument, the operand itself, which gives the sizes of its own
indices and the shape of the result: `einsum__ik_jk__ij__like(a, g, b)`.  An index the cotangent
and the other operands lack is a sum's: every position along it gets the same value (numpy's
broadcast), and a repeated output index writes the diagonal of a zero array.  The sums run in
another order than numpy's einsum: the values agree to rounding (1e-12 in the tests).

Subscripts with '...' are refused (NotLowerable: the user's line, then backend='numpy').

`np.tensordot(a, b, axes)` with constant axes becomes the einsum it is once the ranks of a and b
are known (s2sgrad's shape inference on the signature): `tensordots_as_einsums`.
"""
from __future__ import annotations

from ...ir import Call, Const, ListExpr, Tuple
from .lower import NotLowerable

PREFIX = "einsum__"
_LIKE = "__like"


def _spec(e: Call):
    subs = e.args[0] if e.args else None
    if not isinstance(subs, Const) or not isinstance(subs.value, str):
        raise NotLowerable("np.einsum with subscripts that are not a string constant")
    spec = subs.value.replace(" ", "")
    if "..." in spec:
        raise NotLowerable(f"np.einsum('{subs.value}', ...): subscripts with '...' (write the indices out)")
    ins, arrow, out = spec.partition("->")
    inputs = ins.split(",")
    if not arrow:
        from ...rules.contract import einsum_output
        out = einsum_output(inputs)
    if not all(s.isalpha() or s == "" for s in inputs + [out]):
        raise NotLowerable(f"np.einsum('{subs.value}', ...)")
    return inputs, out


def lower_einsum(e: Call) -> Call:
    """`np.einsum(spec, *ops)` as the call of its loop function."""
    if any(k != "optimize" for k, _ in e.kwargs):
        raise NotLowerable("np.einsum with keywords other than optimize")
    inputs, out = _spec(e)
    if len(inputs) != len(e.args) - 1:
        raise NotLowerable("np.einsum with a number of operands other than the subscripts say")
    return Call(_name(inputs, out), e.args[1:])


def lower_einsum_grad(e: Call) -> Call:
    """`einsum_grad(g, spec, k, *ops)`: operand k's adjoint as a loop function of (x_k, g, others)."""
    g, subs, k, ops = e.args[0], e.args[1], e.args[2], e.args[3:]
    if not (isinstance(k, Const) and isinstance(k.value, int)):
        raise NotLowerable("einsum_grad with an operand number that is not a constant")
    inputs, out = _spec(Call("np.einsum", (subs,)))
    k = k.value
    sk = inputs[k]
    others = [inputs[j] for j in range(len(inputs)) if j != k]
    rest = [ops[j] for j in range(len(ops)) if j != k]
    return Call(_name([out] + others, sk, like=True), (ops[k], g) + tuple(rest))


def _name(inputs, out, like=False):
    # an operand with no indices (a number) is spelled 0: digits are not subscripts
    return PREFIX + "_".join(s or "0" for s in inputs) + "__" + (out or "0") + (_LIKE if like else "")


def numpy_equivalents(fn) -> dict:
    """{name: the numpy call it stands for} for the loop functions `fn` calls (fuse.py's shape
    inference evaluates expressions with numpy)."""
    import re

    import numpy as np

    from ... import ir
    out = {}
    for name in set(re.findall(r"\b(" + PREFIX + r"\w+)\(", ir.to_source(fn))):
        ins, res, like = _parts(name)
        if like:  # the operand's own shape
            out[name] = lambda like, *ops: np.zeros(np.shape(like), np.result_type(*ops))
        else:
            out[name] = lambda *ops, _spec=",".join(ins) + "->" + res: np.einsum(_spec, *ops)
    return out


def _parts(name):
    body = name[len(PREFIX):]
    like = body.endswith(_LIKE)
    if like:
        body = body[:-len(_LIKE)]
    ins, out = body.split("__")
    inputs = ["" if s == "0" else s for s in ins.split("_")]
    return inputs, ("" if out == "0" else out), like


def is_einsum(name: str) -> bool:
    return name.startswith(PREFIX)


def source_of(name: str) -> str:
    """The text of the loop function `name` spells (decorated for numba's disk cache)."""
    inputs, out, like = _parts(name)
    ops = [f"a{j}" for j in range(len(inputs))]
    params = (["like"] if like else []) + ops
    where = {}  # index -> (array, axis) giving its size
    for arr, s in zip(ops, inputs):
        for ax, ch in enumerate(s):
            where.setdefault(ch, (arr, ax))
    if like:
        for ax, ch in enumerate(out):
            where.setdefault(ch, ("like", ax))
    outer = list(dict.fromkeys(out))
    summed = [ch for ch in dict.fromkeys("".join(inputs)) if ch not in outer]
    size = {ch: f"{where[ch][0]}.shape[{where[ch][1]}]" for ch in where}
    lines = ["@njit(cache=True)", f"def {name}({', '.join(params)}):"]
    # numpy's result type: that of the operands' product (an empty product: no elements read)
    lines.append("    kind = " + " * ".join(f"np.asarray({a}).ravel()[:1]" for a in ops) + ("" if len(ops) > 1 else ".copy()"))
    for a, sub in zip(ops, inputs):
        if not sub:  # a number or a 0-d array (the cotangent of a scalar output)
            lines.append(f"    {a}_v = np.asarray({a}).ravel()[0]")
    lines.append("    zero = np.zeros(1, kind.dtype)[0]")
    shape = "(" + ", ".join(size[ch] for ch in out) + ("," if len(out) == 1 else "") + ")"
    if out:
        lines.append(f"    out = np.zeros({shape}, kind.dtype)")
    else:
        lines.append("    total = zero")
    pad = "    "
    for ch in outer:
        lines.append(f"{pad}for {ch} in range({size[ch]}):")
        pad += "    "
    lines.append(f"{pad}acc = zero")
    inner = pad
    for ch in summed:
        lines.append(f"{inner}for {ch} in range({size[ch]}):")
        inner += "    "
    term = " * ".join(f"{a}[{', '.join(sub)}]" if sub else f"{a}_v" for a, sub in zip(ops, inputs))
    lines.append(f"{inner}acc += {term}")
    if out:
        lines.append(f"{pad}out[{', '.join(out)}] = acc")
        lines.append("    return out")
    else:
        lines.append(f"{pad}total += acc")
        lines.append("    return total")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- np.tensordot
def tensordots_as_einsums(fn, signature: dict, namespace: dict):
    """`fn` with each `np.tensordot(a, b, axes)` (constant axes; the ranks of a and b known from
    s2sgrad's shape inference on the signature) as the loop function of the equivalent einsum:
    numba has no tensordot.  Where a rank is unknown the call stays (numba then refuses it)."""
    from ... import ir
    from ...passes.shapes import Arr
    from .rewrite import Operands, map_calls
    if "np.tensordot" not in ir.to_source(fn):
        return fn
    operands = Operands(fn, signature, namespace)

    def rank(e, s):
        v = operands.value_of(e, s)
        return len(v.shape) if isinstance(v, Arr) and v.shape is not None else None

    def call(e, s):
        if e.op == "np.tensordot":
            return _tensordot(e, lambda x: rank(x, s)) or e
        return e
    return map_calls(fn, call)


def _tensordot(e, rank_of):
    """np.tensordot(a, b, axes) as its einsum loop call, or None."""
    kw = dict(e.kwargs)
    if len(e.args) == 3 and not kw:
        spec = e.args[2]
    elif len(e.args) == 2 and set(kw) <= {"axes"}:  # np.tensordot(a, b, axes=1), or numpy's default 2
        spec = kw.get("axes", Const(2))
    else:
        return None
    if not isinstance(spec, (Const, Tuple, ListExpr)):
        return None
    a, b = e.args[0], e.args[1]
    na, nb = rank_of(a), rank_of(b)
    if na is None or nb is None:
        return None
    axes = _const(spec)
    if isinstance(axes, int):
        pairs = (tuple(range(na - axes, na)), tuple(range(axes)))
    elif isinstance(axes, tuple) and len(axes) == 2:
        pairs = tuple(tuple(x) if isinstance(x, tuple) else (x,) for x in axes)
    else:
        return None
    if len(pairs[0]) != len(pairs[1]) or not all(isinstance(k, int) for p in pairs for k in p):
        return None
    ax_a = [k % na if na else k for k in pairs[0]]
    ax_b = [k % nb if nb else k for k in pairs[1]]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in zip(ax_a, ax_b):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in ax_a] + [c for k, c in enumerate(sb) if k not in ax_b]
    return Call(_name(["".join(sa), "".join(sb)], "".join(out)), (a, b))


def _const(e):
    """The Python value of a constant or a tuple of constants (None otherwise)."""
    if isinstance(e, Const):
        return e.value
    if isinstance(e, (Tuple, ListExpr)):  # axes=((2, 1), (1, 0)) or [[-1], [0]]
        vals = [_const(x) for x in e.elts]
        return None if any(v is None for v in vals) else tuple(vals)
    return None
