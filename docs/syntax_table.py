"""Writes docs/syntax.md: which Python statements and expressions s2sgrad differentiates, and which it
refuses, found by asking the code itself.

    python docs/syntax_table.py            # rewrite docs/syntax.md
    python docs/syntax_table.py --check    # exit 1 when docs/syntax.md is stale (tests/test_docs.py)

Two parts, both generated:
1. The frontend's tables of refused constructs (`_REFUSED_STATEMENTS`, `_REFUSED_EXPRESSIONS` in
   s2sgrad/frontend/lower.py) and of operators (`_BINOPS`, `_AUGOPS`, `_CMPOPS`, `_UNOPS`), listed.
2. A probe per construct: a small function using it is decorated, called, and its gradient checked
   against central finite differences (s2sgrad.testing.check_grads).  The row says what happened:
   "differentiated (checked)", "runs, not differentiated" (statements kept for their effect), or the
   refusal with its message and whether it came when the decorator ran or at the first call.
The numpy functions (the rule table) are documented by their own table, s2sgrad/rules*.py.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "syntax.md")

# a probe whose gradient treats a marked value as a constant: by design it is not the derivative
# finite differences see, so it is checked against the known gradient instead (x * x for x)
CONSTANT = "constant"

# (construct, body of `def f(x):` with x = np.array([0.3, 0.7, 1.1])[, CONSTANT]); helpers below
PROBES = [
    ("assignment", "y = x * 2\nreturn np.sum(y)"),
    ("tuple unpacking", "a, b = x * 2, x * 3\nreturn np.sum(a * b)"),
    ("augmented assignment `+= -= *= /=`", "y = x * 1.0\ny += x\ny *= x\ny -= 1.0\ny /= 2.0\nreturn np.sum(y)"),
    ("annotated assignment", "y: float = np.sum(x * 2)\nreturn y"),
    ("arithmetic `+ - * / **`, unary `-`", "return np.sum(-x * 2 + x / 3 - x ** 2)"),
    ("matrix product `@`", "return x @ x"),
    ("comparisons as masks", "return np.sum((x > 0.5) * x)"),
    ("`and` / `or` / `not` on conditions", "s = np.sum(x)\nif s > 0 and not s > 10 or s < -5:\n    return s * 2\nreturn s"),
    ("`if` / `elif` / `else`", "s = np.sum(x)\nif s > 5:\n    y = x\nelif s > 1:\n    y = x * x\nelse:\n    y = -x\nreturn np.sum(y)"),
    ("conditional expression", "return np.sum(x * 2 if np.sum(x) > 0 else x * 3)"),
    ("`for` over `range`", "y = x\nfor i in range(3):\n    y = np.sin(y) + x\nreturn np.sum(y)"),
    ("`for` over an array", "s = 0.0\nfor v in x:\n    s = s + v * v\nreturn s"),
    ("`for` over `enumerate`", "s = 0.0\nfor i, v in enumerate(x):\n    s = s + v * v * i\nreturn s"),
    ("`for` over `zip`", "s = 0.0\nfor a, b in zip(x, x * 2):\n    s = s + a * b\nreturn s"),
    ("`while`", "y = x\nwhile np.sum(y) < 100:\n    y = y * 2\nreturn np.sum(y)"),
    ("`break` / `continue`", "s = 0.0\nfor i in range(3):\n    if i == 1:\n        continue\n    s = s + x[i]\n    if s > 10:\n        break\nreturn s"),
    ("early `return`", "if np.sum(x) > 0:\n    return np.sum(x * x)\nreturn np.sum(x)"),
    ("subscript and slice reads", "return x[0] * x[-1] + np.sum(x[1:] * 2)"),
    ("subscript writes into an array the function made", "y = np.zeros(3)\ny[0] = x[1] * 2\ny[1:] = x[:2]\nreturn np.sum(y * y)"),
    ("subscript write into an argument", "x[0] = 1.0\nreturn np.sum(x)"),
    ("method calls and attributes (`.sum()`, `.T`, `.reshape`)", "return x.reshape(3, 1).T.sum() * x.sum()"),
    ("keyword arguments", "return np.sum(np.sum(x.reshape(1, 3), axis=0) ** 2)"),
    ("calls to your own functions", "return helper(x) * 2"),
    ("`with s2sgrad.no_grad():`", "with s2sgrad.no_grad():\n    c = x * x\nreturn np.sum(c * x)", CONSTANT),
    ("`stop_gradient` / `detach`", "return np.sum(s2sgrad.stop_gradient(x * x) * x)", CONSTANT),
    ("`assert`, `raise`, `print`", "assert x.shape == (3,), 'a vector'\nif np.sum(x) < -100:\n    raise ValueError('too small')\nreturn np.sum(x)"),
    ("`del`, `pass`", "y = x * 2\ndel y\npass\nreturn np.sum(x)"),
    ("`global` name assigned (a counter of calls)", "global CALLS\nCALLS = 2\nCALLS += 1\nreturn np.sum(x) * CALLS"),
    ("list / tuple literals", "return np.sum(np.array([x[0], x[1] * 2]))"),
    ("dict literal", "d = {'a': x}\nreturn np.sum(d['a'])"),
    ("nested function definition", "def g(v):\n    return v * 2\nreturn np.sum(g(x))"),
    ("lambda", "g = lambda v: v * 2\nreturn np.sum(g(x))"),
    ("list comprehension", "return np.sum(np.array([v * 2 for v in x]))"),
    ("generator expression", "return sum(v * 2 for v in x)"),
    ("dict / set comprehension", "d = {i: v for i, v in enumerate(x)}\nreturn d[0]"),
    ("assignment expression `:=`", "if (s := np.sum(x)) > 0:\n    return s\nreturn -s"),
    ("f-string (outside assert/raise/print)", "name = f'{np.sum(x)}'\nreturn np.sum(x)"),
    ("complex numbers", "return np.sum(x * 1j).real"),
    ("starred expression", "a, *rest = x\nreturn a"),
    ("`try`", "try:\n    y = x * 2\nexcept ValueError:\n    y = x\nreturn np.sum(y)"),
    ("`with` (other than no_grad)", "with open('f') as fh:\n    y = x\nreturn np.sum(y)"),
    ("`import` inside the function", "import math\nreturn np.sum(x)"),
    ("class definition", "class A:\n    pass\nreturn np.sum(x)"),
    ("`yield`", "yield np.sum(x)"),
    ("`match` (literals, None, `_`, captures, alternatives, tuple patterns of a tuple subject, guards)",
     "match (x.shape[0], 1):\n    case (3, n) if n > 0:\n        y = x * n\n    case _:\n        y = x\nreturn np.sum(y)"),
    ("`for ... else` / `while ... else`", "for i in range(3):\n    x = x * 1.5\n    if i == 1:\n        break\n"
     "else:\n    x = x * 2\nwhile np.sum(x) < 0:\n    x = x * 0.5\nelse:\n    x = x + x * x\nreturn np.sum(x)"),
]

_MODULE_HEAD = """import numpy as np
import s2sgrad


def helper(v):
    return np.sum(np.tanh(v))

"""


def _module():
    parts = [_MODULE_HEAD]
    for i, (_, body, *_) in enumerate(PROBES):
        parts.append(f"def probe_{i}(x):\n{textwrap.indent(body, '    ')}\n\n")
    d = tempfile.mkdtemp(prefix="s2sgrad_syntax_")
    path = os.path.join(d, "syntax_probes.py")
    with open(path, "w") as fh:
        fh.write("\n".join(parts))
    spec = importlib.util.spec_from_file_location("syntax_probes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _first_line(e):
    return getattr(e, "message", str(e)).splitlines()[0]


def probe_rows():
    """[(construct, outcome)] for every probe, from the code as it is now."""
    import numpy as np

    import s2sgrad
    from s2sgrad.testing import check_grads
    mod = _module()
    rows = []
    for i, (name, _, *flags) in enumerate(PROBES):
        fn = getattr(mod, f"probe_{i}")
        try:
            f = s2sgrad.differentiate(fn)
        except s2sgrad.S2SGradError as e:
            rows.append((name, f"refused when the decorator runs: {_first_line(e)}"))
            continue
        x = np.array([0.3, 0.7, 1.1])
        try:
            g = f.grad(x.copy())
        except s2sgrad.S2SGradError as e:
            rows.append((name, f"refused at the first call: {_first_line(e)}"))
            continue
        except Exception as e:  # noqa: BLE001 -- a probe that fails otherwise is reported as such
            rows.append((name, f"fails at the first call: {type(e).__name__}: {_first_line(e)}"))
            continue
        if CONSTANT in flags:
            ok = np.allclose(g, x * x)
            rows.append((name, "differentiated, the marked value a constant (gradient checked: x * x)" if ok
                         else f"WRONG GRADIENT: {g} where x * x = {x * x}"))
            continue
        try:
            check_grads(f, (x.copy(),), directions=2)
            rows.append((name, "differentiated (checked against finite differences)"))
        except AssertionError as e:
            rows.append((name, f"WRONG GRADIENT: {_first_line(e)}"))
    return rows


def _names(table):
    return sorted({v for v in table.values()})


def _ops(table):
    return ", ".join(f"`{op}`" for op in sorted({v for v in table.values()}))


def render():
    from s2sgrad.frontend import lower
    out = ["# Supported and refused Python syntax", "",
           "Generated by `python docs/syntax_table.py` from the code itself (tests/test_docs.py fails when "
           "this page is stale). The numpy functions s2sgrad differentiates are rows of its rule table, "
           "s2sgrad/rules*.py; anything refused is refused with an error at its file:line:col, never "
           "differentiated to a silent zero.", "",
           "## Refused by the frontend's tables", "",
           "Statements (s2sgrad/frontend/lower.py, `_REFUSED_STATEMENTS`): "
           + ", ".join(_names(lower._REFUSED_STATEMENTS)) + ".", "",
           "Expressions (`_REFUSED_EXPRESSIONS`): " + ", ".join(_names(lower._REFUSED_EXPRESSIONS)) + ".", "",
           "These tables apply where no special form does: the probes below show forms the frontend "
           "accepts before reaching them (a lambda bound to a name and called, for one).", "",
           "## Operators", "",
           f"- binary (`_BINOPS`): {_ops(lower._BINOPS)}",
           f"- augmented assignment (`_AUGOPS`): {_ops(lower._AUGOPS)}",
           f"- comparisons (`_CMPOPS`, masks and conditions): {_ops(lower._CMPOPS)}",
           f"- unary (`_UNOPS`): {_ops(lower._UNOPS)}", "",
           "Whether an operator is differentiated, piecewise constant (`//`, `%` in their integer parts, "
           "comparisons) or refused for a floating argument is the rule table's business.", "",
           "## Constructs, probed", "",
           "Each row is a small function `f(x)` using the construct, decorated, called with a float64 vector "
           "and checked against central finite differences.", "",
           "| construct | what s2sgrad does |", "|---|---|"]
    for name, outcome in probe_rows():
        out.append(f"| {name} | {outcome.replace('|', '/')} |")
    return "\n".join(out) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    sys.path.insert(0, ROOT)
    import numpy as np
    with np.errstate(all="ignore"):
        text = render()
    if "--check" in argv:
        current = open(OUT, encoding="utf-8").read() if os.path.exists(OUT) else ""
        if current != text:
            print("docs/syntax.md is stale: run python docs/syntax_table.py")
            return 1
        return 0
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
