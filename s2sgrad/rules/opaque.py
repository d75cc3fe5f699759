"""Rows for library functions without a derivative rule, called on values that carry none:
`np.hanning(frame)`, `comb(degree, np.arange(degree + 1))`, `np.polynomial.legendre.leggauss(8)`.

Such a call computes a constant for differentiation: it is kept as written (the function added to
the generated code's namespace under the name its row prints), and its row has a derivative in no
direction: where a differentiated value reaches one of its arguments (the activity analysis counts
them as it counts any row's), the reverse and forward rules refuse, naming the function, exactly as
the frontend refused every such call before.  Never a guessed zero.

Guarantee: only functions of numpy, scipy and math that compute from their arguments alone (no
random draws, no callbacks, nothing written in place or to files; `pure`) get a row; each row's
kind is "opaque", which rules/doc.py leaves out of the README's table of differentiated functions.
"""
from __future__ import annotations

import types

from ..errors import UnknownFunctionError
from .table import RULES, Rule

OPAQUE: dict = {}   # op -> the function object
_NAMES: dict = {}   # id(function object) -> op

# modules whose functions compute from their arguments only (numpy.random draws; scipy.optimize
# and scipy.integrate call the user's functions; io and state setters have effects)
_PURE = ("numpy", "scipy.special", "scipy.signal", "scipy.stats", "scipy.linalg", "math", "numpy.polynomial")
_NOT_PURE_MODULES = ("numpy.random", "numpy.lib.npyio", "numpy.testing")
_NOT_PURE = {"copyto", "put", "place", "putmask", "put_along_axis", "fill_diagonal", "save", "savez", "savetxt",
             "savez_compressed", "load", "loadtxt", "genfromtxt", "fromfile", "tofile", "seterr", "seterrcall",
             "set_printoptions", "setbufsize", "frompyfunc", "vectorize", "apply_along_axis",
             "apply_over_axes", "piecewise", "fromfunction", "memmap", "nditer", "shares_memory",
             "may_share_memory", "get_window"}


def pure(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__name__", "")
    if type(obj).__name__ == "ufunc":
        module = "numpy"
    elif not isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) and \
            type(obj).__name__ != "_ArrayFunctionDispatcher":  # (numpy 2's np.unique, np.ix_ are dispatchers)
        return False  # (a distribution object, a bound method, a class: its state is not its arguments)
    if name in _NOT_PURE or name.startswith("_"):
        return False
    if module.startswith(_NOT_PURE_MODULES):
        return False
    return any(module == m or module.startswith(m + ".") for m in _PURE) or module in ("numpy._core.multiarray",)


def register(obj, label: str):
    """(op, {name: object} for the generated code's namespace) for a call of obj written `label`."""
    if id(obj) in _NAMES and OPAQUE.get(_NAMES[id(obj)]) is obj:
        op = _NAMES[id(obj)]
        return op, ({} if op.startswith("np.") else {op: obj})
    if label.startswith("np.") and all(p.isidentifier() for p in label.split(".")) and label not in RULES:
        op = label  # printed as written: the generated code has numpy as np
    else:
        base = getattr(obj, "__name__", "") or "fn"
        base = base if base.isidentifier() else "fn"
        op, k = base, 2
        while op in RULES or op in OPAQUE:
            op = f"{base}_{k}"
            k += 1
    _NAMES[id(obj)] = op
    OPAQUE[op] = obj

    def refuse(c):
        raise UnknownFunctionError(
            f"'{label}' has no differentiation rule, and a differentiated value reaches it here (s2sgrad "
            "never guesses a zero gradient; the supported functions are listed in the README, 'Supported "
            "numpy functions'). Compute it from values that are not differentiated, or write it with "
            "functions that have rules", c.s.loc)
    RULES[op] = Rule(op, refuse, "opaque", lazy_g=True, jvp=refuse)
    return op, ({} if op.startswith("np.") else {op: obj})


# draws of numpy's global generator that change state other than by drawing, or write in place
_NOT_DRAWS = {"seed", "set_state", "get_state", "shuffle", "bytes"}


def draw(obj):
    """The op of a draw of numpy's global generator without a row of its own (`np.random.beta(a, b)`,
    `permutation(n)`, `choice(...)`, `randint(...)`): kept as written, its result a constant for
    differentiation, refused where a differentiated value reaches its parameters (so beta(a, b) of
    a differentiated `a` is refused, never given a zero).  Named `np.random.<name>` however it was
    written, which is what the passes that keep draws in order look for (the replayed generator
    state, dead-code elimination, checkpoints); None for anything else of numpy.random."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    import numpy as np
    if owner is not np.random.mtrand._rand or name in _NOT_DRAWS or name.startswith("_"):
        return None
    op, _ = register(obj, f"np.random.{name}")
    return op
