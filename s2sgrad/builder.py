"""A tiny expression builder for writing derivative rules in math notation.

`E` wraps an IR expression and overloads Python's operators, folding constants and the identities
x*1, 1*x, x+0, 0+x, x/1, -(-x) as it builds, so rules can be written plainly (`g * (1 - ans * ans)`)
and still print without noise.  `np` in rules is `NP`: `NP.cos(x)` builds a call to np.cos.
"""
from __future__ import annotations

import operator

from .ir import Attr, Call, Const, Expr, Tuple


def _num(e):
    return isinstance(e, Const) and isinstance(e.value, (int, float)) and not isinstance(e.value, bool)


_BOOLEAN_OPS = {"gt", "ge", "lt", "le", "eq", "ne", "and_", "or_", "invert", "not_",
                # numpy's predicates: `g * np.isfinite(x)` with g = 1 is still a float array
                "np.isfinite", "np.isnan", "np.isinf", "np.isposinf", "np.isneginf", "np.signbit", "np.isclose",
                "np.logical_and", "np.logical_or", "np.logical_not", "np.logical_xor", "np.equal", "np.not_equal",
                "np.greater", "np.greater_equal", "np.less", "np.less_equal", ".eq", ".ne", ".gt", ".ge", ".lt", ".le"}


def _boolean(e):
    return isinstance(e, Call) and e.op in _BOOLEAN_OPS


def lift(v) -> Expr:
    if isinstance(v, E):
        return v.e
    if isinstance(v, Expr):
        return v
    if isinstance(v, tuple):
        return Tuple(tuple(lift(x) for x in v))
    return Const(v)


class E:
    """An IR expression with arithmetic operators (used only while writing rules)."""
    __slots__ = ("e",)

    def __init__(self, e):
        self.e = lift(e)

    # -- arithmetic with simplification
    def __add__(self, o):
        return binop("add", self, o)

    def __radd__(self, o):
        return binop("add", o, self)

    def __sub__(self, o):
        return binop("sub", self, o)

    def __rsub__(self, o):
        return binop("sub", o, self)

    def __mul__(self, o):
        return binop("mul", self, o)

    def __rmul__(self, o):
        return binop("mul", o, self)

    def __truediv__(self, o):
        return binop("truediv", self, o)

    def __rtruediv__(self, o):
        return binop("truediv", o, self)

    def __pow__(self, o):
        return binop("pow", self, o)

    def __matmul__(self, o):
        return binop("matmul", self, o)

    def __rmatmul__(self, o):
        return binop("matmul", o, self)

    def __neg__(self):
        e = self.e
        if _num(e):
            return E(Const(-e.value))
        if isinstance(e, Call) and e.op == "neg":
            return E(e.args[0])
        if _boolean(e):  # numpy refuses to negate a boolean array: a float -1 makes it a number
            return E(Call("mul", (Const(-1.0), e)))
        return E(Call("neg", (e,)))

    def __gt__(self, o):
        return compare("gt", self, o)

    def __ge__(self, o):
        return compare("ge", self, o)

    def __lt__(self, o):
        return compare("lt", self, o)

    def __le__(self, o):
        return compare("le", self, o)

    def eq(self, o):
        return compare("eq", self, o)

    def __invert__(self):
        return E(Call("invert", (self.e,)))

    def __and__(self, o):
        return E(Call("and_", (self.e, lift(o))))

    def __or__(self, o):
        return E(Call("or_", (self.e, lift(o))))

    @property
    def T(self):
        return E(Attr(self.e, "T"))

    @property
    def shape(self):
        return E(Attr(self.e, "shape"))

    @property
    def size(self):
        return E(Attr(self.e, "size"))

    @property
    def dtype(self):
        return E(Attr(self.e, "dtype"))

    def method(self, name, *args, **kwargs):
        base = self.e
        if isinstance(base, Const) and type(base.value) in (int, float, bool, complex):
            # (a cotangent folded to a number, 3.0 of `3.0 * np.squeeze(...)`: a float has no .reshape)
            base = Call("np.asarray", (base,))
        return E(Call("." + name, (base,) + tuple(lift(a) for a in args),
                      tuple((k, lift(v)) for k, v in kwargs.items())))

    def __getitem__(self, idx):
        return E(Call("getitem", (self.e, lift(idx))))

    def __repr__(self):
        from .ir import expr_src
        return f"E({expr_src(self.e)})"


def compare(op, a, b) -> E:
    """A comparison; of two numbers (a literal argument meets a rule's constant, np.heaviside(0.5, h)'s
    `x == 0`) it is the number 1.0 or 0.0, as the mask's factor in a product would be."""
    a, b = lift(a), lift(b)
    if _num(a) and _num(b):
        return E(Const(1.0 if getattr(operator, op)(a.value, b.value) else 0.0))  # (IR ops are operator's names)
    return E(Call(op, (a, b)))


_FOLDS = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
          "truediv": lambda x, y: x / y, "pow": lambda x, y: x ** y}


def binop(op, a, b) -> E:
    a, b = lift(a), lift(b)
    if _num(a) and _num(b) and op in ("add", "sub", "mul", "truediv", "pow"):
        x, y = a.value, b.value
        try:  # (only the operation asked for: 1e10 ** 400.0 overflows while folding 1e10 * 400.0)
            v = _FOLDS[op](x, y)
            if isinstance(v, float) and v.is_integer() and isinstance(x, int) and isinstance(y, int):
                v = int(v)
            if not isinstance(v, complex):
                return E(Const(v))
        except (ZeroDivisionError, OverflowError):
            pass
    if op == "mul":
        # x * 1 is not x when x is a mask: the number makes the product a number array (and
        # mask + mask would be a logical or, not 2)
        if _num(a) and a.value == 1 and not _boolean(b):
            return E(b)
        if _num(b) and b.value == 1 and not _boolean(a):
            return E(a)
        # x * -1 -> -x, but never for a mask: numpy refuses to negate a boolean array
        if _num(b) and b.value == -1 and not _boolean(a):
            return -E(a)
        if _num(a) and a.value == -1 and not _boolean(b):
            return -E(b)
        if isinstance(b, Call) and b.op == "neg" and not _boolean(a):  # a * -b -> -(a * b)
            return -binop("mul", a, b.args[0])
        if isinstance(a, Call) and a.op == "neg" and not _boolean(b):
            return -binop("mul", a.args[0], b)
    if op == "add":
        if _num(a) and a.value == 0:
            return E(b)
        if _num(b) and b.value == 0:
            return E(a)
        if isinstance(b, Call) and b.op == "neg":
            return binop("sub", a, b.args[0])
    if op == "sub":
        if _num(b) and b.value == 0:
            return E(a)
        if _num(a) and a.value == 0:
            return -E(b)
        if isinstance(b, Call) and b.op == "neg":
            return binop("add", a, b.args[0])
    if op == "truediv" and _num(b) and b.value == 1:
        return E(a)
    if op == "pow" and _num(b) and b.value == 1:
        return E(a)
    return E(Call(op, (a, b)))


class _NP:
    """`NP.name(args)` builds a call to np.name (and NP.linalg.norm to np.linalg.norm)."""

    def __init__(self, prefix="np"):
        self._prefix = prefix

    def __getattr__(self, name):
        if name == "linalg":
            return _NP(self._prefix + ".linalg")
        op = f"{self._prefix}.{name}"

        def build(*args, **kwargs):
            args = tuple(lift(a) for a in args)
            if op == "np.where" and len(args) == 3 and not kwargs and all(_num(a) for a in args):
                return E(args[1] if args[0].value else args[2])  # all numbers: a number, no array
            return E(Call(op, args, tuple((k, lift(v)) for k, v in kwargs.items())))
        return build


NP = _NP()
