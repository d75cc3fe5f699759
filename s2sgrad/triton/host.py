"""Host code of the Triton backend: the generated program with its kernel groups replaced by
launcher calls (`host_block`), numpy spellings torch lacks sent to the host `np`
(torchnp.TorchNumpy: `host_expr`).

Guarantee: host code computes what the numpy code computes on torch tensors, where torch's
semantics differ from numpy's made explicit: a number updated in place is rebound instead (numpy's
scalars are immutable, torch's 0-d tensors are not), and an element read of an array the function
writes into is copied (numpy's element is a copy, torch's a view).
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..rules import NUMPY_ONLY
from ..rules.opaque import OPAQUE
from ..ir import Assign, Attr, Call, Const, For, If, Name, Return, SetItem, Tuple, While
from .plan import KernelGroup

_METHODS_TO_FUNCTIONS = {".sum", ".mean", ".max", ".min", ".copy", ".reshape", ".astype", ".clip", ".dot",
                         ".transpose", ".ravel", ".flatten", ".squeeze", ".conj", ".conjugate"}


# ------------------------------------------------------------------------------ host code IR
def host_expr(e):
    """numpy spellings that torch lacks -> calls of the host `np` (torchnp.TorchNumpy)."""
    if isinstance(e, Call):
        args = tuple(host_expr(a) for a in e.args)
        kwargs = tuple((k, host_expr(v)) for k, v in e.kwargs)
        if e.op in OPAQUE and (not e.op.startswith("np.") or e.op.count(".") > 1):
            # a library function without a rule (scipy's, numpy's submodules'; numpy's own run on the
            # host through torchnp's numpy fallback)
            raise UnsupportedSyntaxError(f"{e.op} (a library function called on values without a derivative) "
                                         "is not supported by backend='triton': use the numpy backend", None)
        if e.op in NUMPY_ONLY:  # torch's function of that name would compute something else
            raise UnsupportedSyntaxError(f"{e.op} is not supported by backend='triton' yet (its host code would run "
                                         "torch's function, whose semantics differ): use the numpy backend", None)
        if e.op in _METHODS_TO_FUNCTIONS:
            return Call("np." + e.op[1:], args, kwargs)
        if e.op == "getitem" and isinstance(args[1], Tuple) and len(args[1].elts) == 2 and isinstance(
                args[1].elts[0], Call) and args[1].elts[0].op == "np.arange":
            # x[np.arange(M), labels] on the host: its labels are range-checked first (torch would
            # raise its own IndexError, or on a GPU stop the device with an assert)
            return Call("np.gather_rows", (args[0],) + args[1].elts)
        if e.op == "@T":
            return Call("np.transpose", args)
        if e.op == "@size":
            return Call("np.size", args)
        return Call(e.op, args, kwargs)
    if isinstance(e, Attr):
        if e.attr == "T":
            return Call("np.transpose", (host_expr(e.value),))
        if e.attr == "size":  # a method on torch tensors
            return Call("np.size", (host_expr(e.value),))
        return Attr(host_expr(e.value), e.attr)
    if isinstance(e, Tuple):
        return Tuple(tuple(host_expr(x) for x in e.elts))
    if isinstance(e, ir.ListExpr):
        return ir.ListExpr(tuple(host_expr(x) for x in e.elts))
    if isinstance(e, ir.Slice):  # negative steps: np.getitem/np.setitem (steps.py)
        return ir.Slice(*(None if x is None else host_expr(x) for x in (e.lower, e.upper, e.step)))
    return e


_REBOUND = {"iadd": "add", "isub": "sub", "imul": "mul", "itruediv": "truediv"}


def _located(f, e, loc):
    """f(e), a refusal without a place given the statement's (host_expr knows expressions only)."""
    try:
        return f(e)
    except UnsupportedSyntaxError as err:
        if err.loc is None and loc is not None:
            raise UnsupportedSyntaxError(err.message, loc) from None
        raise


def _element_of(v, written) -> bool:
    """Whether v reads elements of an array written into somewhere (an index without slices: an
    element, or an integer-array gather -- copies in numpy; torch's element is a view)."""
    if not (isinstance(v, Call) and v.op == "getitem" and isinstance(v.args[0], Name) and v.args[0].id in written):
        return False
    parts = v.args[1].elts if isinstance(v.args[1], Tuple) else (v.args[1],)
    return not any(isinstance(p, ir.Slice) or isinstance(p, Const) and p.value in (None, Ellipsis) for p in parts)


def host_block(block, launches, scalars=frozenset(), written=None):
    """The host program: kernel groups become launcher calls, numpy spellings torch lacks go to the
    host `np`.  `scalars`: names holding one number, updated by rebinding (`g = g + d`), never in
    place: numpy's scalars are immutable, so `a = g; g += d` leaves a alone, while the host's 0-d
    tensors would change under it (an adjoint read the updated value: a wrong gradient).  Likewise
    an element read of an array written into (`t = a[3]`, then `a[3] = ...`: numpy's t a copy,
    torch's a view): `np.copy(a[3])`."""
    if written is None:
        written = {x.target for x in ir.walk(block) if isinstance(x, SetItem)}
    out = []
    for s in block:
        if isinstance(s, KernelGroup):
            outs, args = launches[s.index]
            call = Call(f"launch_{s.index}", tuple(Name(a) for a in args))
            if outs:
                out.append(Assign(tuple(outs), call, None))
            continue
        if isinstance(s, Assign):
            v = s.value
            if isinstance(v, Call) and v.op in _REBOUND and len(s.targets) == 1 and s.target in scalars \
                    and v.args[0] == Name(s.target):
                v = Call(_REBOUND[v.op], v.args, v.kwargs)
            v = _located(host_expr, v, s.loc)
            if _element_of(v, written):
                v = Call("np.copy", (v,))
            out.append(Assign(s.targets, v, s.loc))
        elif isinstance(s, SetItem):
            out.append(SetItem(s.target, host_expr(s.index), host_expr(s.value), s.loc, s.aug))
        elif isinstance(s, ir.ExprStmt):
            out.append(ir.ExprStmt(host_expr(s.value), s.loc))
        elif isinstance(s, If):
            out.append(If(host_expr(s.test), tuple(host_block(s.body, launches, scalars, written)),
                          tuple(host_block(s.orelse, launches, scalars, written)), s.loc))
        elif isinstance(s, For):
            out.append(For(s.target, host_expr(s.iter), tuple(host_block(s.body, launches, scalars, written)), s.loc))
        elif isinstance(s, While):
            out.append(While(host_expr(s.test), tuple(host_block(s.body, launches, scalars, written)), s.loc))
        elif isinstance(s, Return):
            out.append(Return(host_expr(s.value), s.loc))
        else:
            out.append(s)
    return out


# ------------------------------------------------------------------------------ splitting
