"""Rule-table rows for contractions: einsum, tensordot, inner, vdot, kron, cross.

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Guarantees:
- each operand's adjoint is itself a contraction: `np.einsum` gets an einsum with the operand's
  subscripts as output (written inline when the operand has no repeated index and no index of its
  own, else runtime_grads.einsum_grad, which puts the cotangent on the diagonal or spreads it along
  the operand's own indices); `np.tensordot` gets tensordots, transposed back to the operand's axes;
- implicit einsum output (no '->') follows numpy: the indices that appear once, sorted, after '...';
- `np.cross` handles 3-vectors along the last axis (g . (a x b) = a . (b x g) = b . (g x a));
  2-vectors and other axes are refused at their line; where an operand's shape is known only at
  run time (`params[:n * 9].reshape((n, 9))[:, :3]`), runtime_scipy.cross_adjoint applies the same
  formula after checking there that both last axes have length 3 (a ValueError saying so
  otherwise); the forward rule, bilinear for every length numpy takes, needs no check then;
- every contraction is linear in each operand separately: its forward rule is the product rule,
  the same call with one operand replaced by its tangent per term (`multilinear`).
"""
from __future__ import annotations

import numpy as np

from ..builder import E, NP, lift
from ..ir import Call, Const
from .table import multilinear, structural


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def einsum_output(inputs):
    """The output subscripts numpy gives an einsum written without '->'."""
    letters = "".join(s.replace("...", "") for s in inputs)
    once = sorted(ch for ch in set(letters) if letters.count(ch) == 1)
    return ("..." if any("..." in s for s in inputs) else "") + "".join(once)


def _einsum(c):
    subs = c.call.args[0]
    if not isinstance(subs, Const) or not isinstance(subs.value, str):
        raise c.unsupported("subscripts that are not a string constant (the interleaved form)")
    spec = subs.value.replace(" ", "")
    ins, _, out = spec.partition("->")
    inputs = ins.split(",")
    if "->" not in spec:
        out = einsum_output(inputs)
    ops = c.args[1:]
    if len(inputs) != len(ops):
        raise c.unsupported("a number of operands other than the subscripts say")
    contribs = [None]
    for k, sk in enumerate(inputs):
        if not c.active(k + 1):
            contribs.append(None)
            continue
        others = [inputs[j] for j in range(len(inputs)) if j != k]
        avail = set(out) | set("".join(others))
        simple = "..." not in spec and len(set(sk)) == len(sk) and set(sk) <= avail
        if simple:
            rest = [ops[j] for j in range(len(ops)) if j != k]
            kw = {"optimize": True} if len(rest) >= 2 else {}
            contribs.append(NP.einsum(",".join([out] + others) + "->" + sk, c.g, *rest, **kw))
        else:
            contribs.append(_rt("einsum_grad", c.g, ",".join(inputs) + "->" + out, k, *ops))
    return tuple(contribs)


def _einsum_jvp(c):
    """One term per operand with a tangent (the subscripts, position 0, carry none)."""
    subs = c.call.args[0]
    if not isinstance(subs, Const) or not isinstance(subs.value, str):  # (operands and sublists interleave)
        raise c.unsupported("subscripts that are not a string constant (the interleaved form)")
    return multilinear(*range(1, len(c.call.args)))(c)


structural("np.einsum", _einsum, lazy_g=False, jvp=_einsum_jvp)


def _tensordot_axes(c, na, nb):
    axes = c.kw("axes", 2, 2)
    if isinstance(axes, int):
        return tuple(range(na - axes, na)), tuple(range(axes))
    if isinstance(axes, tuple) and len(axes) == 2:
        aa, bb = axes
        aa = aa if isinstance(aa, tuple) else (aa,)
        bb = bb if isinstance(bb, tuple) else (bb,)
        return tuple(x % na for x in aa), tuple(x % nb for x in bb)
    raise c.unsupported(f"axes={axes!r}")


def _inverse(perm):
    return tuple(int(i) for i in np.argsort(perm))


def _tensordot(c):
    """tensordot(a, b): the result has a's free axes, then b's.  a gets tensordot(g, b) over b's
    free axes (its contracted axes then come last, in the order of b's axes paired with them), b gets
    tensordot(a, g) over a's free axes; each is transposed back to its operand's axis order."""
    na, nb = c.ndim(0), c.ndim(1)
    given = c.call.kw("axes") if c.call.kw("axes") is not None else c.call.args[2] if len(c.call.args) > 2 else None
    if given is not None and not c.is_constant(given):  # axes=([1], [q]) of a loop's q: read
        axes = E(given)  # where the sweep runs, as the forward sweep read them
        return (_rt("tensordot_grad", c.g, c.args[0], c.args[1], axes, 0),
                _rt("tensordot_grad", c.g, c.args[0], c.args[1], axes, 1)) + (None,) * (len(c.args) - 2)
    if na is None or nb is None:  # ranks known only at run time
        axes = c.kw("axes", 2, 2)
        return (_rt("tensordot_grad", c.g, c.args[0], c.args[1], axes, 0),
                _rt("tensordot_grad", c.g, c.args[0], c.args[1], axes, 1)) + (None,) * (len(c.args) - 2)
    ca, cb = _tensordot_axes(c, na, nb)
    fa = tuple(i for i in range(na) if i not in ca)
    fb = tuple(i for i in range(nb) if i not in cb)
    g, a, b = c.g, c.args[0], c.args[1]
    # a tensordot's result keeps an operand's axes left over in that operand's order, so ga's last
    # axes are b's contracted ones in b's order (each standing for the a axis paired with it), and
    # gb's first are a's contracted ones in a's order (axes=((2, 1), (1, 0)) pairs them crosswise)
    ga = NP.tensordot(g, b, (tuple(range(len(fa), len(fa) + len(fb))), fb))
    perm_a = fa + tuple(ca[j] for j in sorted(range(len(cb)), key=lambda j: cb[j]))
    if perm_a != tuple(range(na)):
        ga = NP.transpose(ga, _inverse(perm_a))
    gb = NP.tensordot(a, g, (fa, tuple(range(len(fa)))))
    perm_b = tuple(cb[j] for j in sorted(range(len(ca)), key=lambda j: ca[j])) + fb
    if perm_b != tuple(range(nb)):
        gb = NP.transpose(gb, _inverse(perm_b))
    return (ga, gb) + (None,) * (len(c.args) - 2)


structural("np.tensordot", _tensordot, lazy_g=False, jvp=multilinear(0, 1))


def _inner(c):
    """inner(a, b) contracts the last axes: a gets tensordot(g, b) over b's leading axes, b gets
    tensordot(g, a) over a's leading axes (a product when either is a scalar)."""
    na, nb = c.ndim(0), c.ndim(1)
    g, a, b = c.g, c.args[0], c.args[1]
    if na is None or nb is None:  # ranks known only at run time
        return (_rt("tensordot_grad", g, a, b, "inner", 0), _rt("tensordot_grad", g, a, b, "inner", 1))
    if na == 0 or nb == 0:
        return (g * b, g * a)
    if na == 1 and nb == 1:
        return (g * b, g * a)
    ga = NP.tensordot(g, b, (tuple(range(na - 1, na + nb - 2)), tuple(range(nb - 1))))
    gb = NP.tensordot(g, a, (tuple(range(na - 1)), tuple(range(na - 1))))
    return (ga, gb)


structural("np.inner", _inner, lazy_g=False, jvp=multilinear(0, 1))


def _vdot(c):
    """vdot(a, b) = sum(ravel(a) * ravel(b)) (real inputs)."""
    g, a, b = c.g, c.args[0], c.args[1]
    if c.shape(0) is not None and c.shape(0) == c.shape(1):
        return (g * b, g * a)
    return ((g * NP.ravel(b)).method("reshape", NP.shape(a)), (g * NP.ravel(a)).method("reshape", NP.shape(b)))


structural("np.vdot", _vdot, lazy_g=False, jvp=multilinear(0, 1))


def _kron(c):
    """kron(a, b)[i*B + j] = a[i] b[j] per axis: runtime_grads.kron_grad reshapes g to
    (a0, b0, a1, b1, ...) and contracts it with the other operand."""
    return (_rt("kron_grad", c.g, c.args[0], c.args[1], 0), _rt("kron_grad", c.g, c.args[0], c.args[1], 1))


structural("np.kron", _kron, lazy_g=False, jvp=multilinear(0, 1))


def _cross(c):
    g, a, b = c.g, c.args[0], c.args[1]
    if not _cross_checks(c):  # a shape known only at run time: checked there
        return tuple(E(Call("cross_adjoint", (g.e, a.e, b.e, Const(i)))) if c.active(i) else None for i in (0, 1))
    return (NP.cross(b, g), NP.cross(g, a))


def _cross_checks(c):
    """Whether both operands' shapes are known (then: 3-vectors along the last axis, else refused)."""
    for k in ("axisa", "axisb", "axisc", "axis"):
        if c.call.kw(k) is not None:
            raise c.unsupported(f"the keyword {k}= (move the vector axis last)")
    if len(c.args) > 2:
        raise c.unsupported("axis arguments given by position")
    sa, sb = c.shape(0), c.shape(1)
    for s in (sa, sb):
        if s is not None and (not s or s[-1] != 3):
            raise c.unsupported("vectors other than 3-vectors along the last axis")
    return sa is not None and sb is not None


def _cross_jvp(c):
    _cross_checks(c)  # the same calls as the reverse rule
    return multilinear(0, 1)(c)


structural("np.cross", _cross, lazy_g=False, jvp=_cross_jvp)
