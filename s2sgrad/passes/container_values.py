"""Values the container pass computes from containers known when compiling (containers.py):
`a + [h]`, `[x] * 3`, `d | e` joined into new containers, and tests of constants (`k in ('w1',
'w2')`, `k.startswith('w')` of a key known in an unrolled pass) folded to True or False.

Guarantee: each is Python's own result on the compile-time values (the joined container holds the
very elements, so reads see what they held; the alias fence counts it as holding them); anything
else is None, left to run time.
"""
from __future__ import annotations

import enum

from ..errors import UnsupportedSyntaxError
from ..ir import Call, Const, DictExpr, ListExpr, Name, Tuple
from .ctree import CTree


TESTS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
         "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
         "in_": lambda a, b: a in b, "not_in": lambda a, b: a not in b, "not_": lambda a: not a,
         ".startswith": lambda a, b: a.startswith(b), ".endswith": lambda a, b: a.endswith(b)}


def folded_key(op, args):
    """table_key / table_index (frontend/dispatch.py) of constants: the key, when Python's lookup
    would take it (else None: the call stays, and raises what Python raises when it runs)."""
    if op not in ("table_key", "table_index") or len(args) != 2 or not isinstance(args[0], Const):
        return None
    second = _plain(args[1])
    if second is None:
        return None
    from ..runtime import table_index, table_key
    try:
        return Const(table_key(args[0].value, second) if op == "table_key" else table_index(args[0].value, second))
    except (TypeError, IndexError, KeyError):
        return None


_TEXT = {"str": str, "repr": repr, "format": format, "ascii": ascii}


def _plain(a):
    """The value of a constant, or of a tuple or list literal of them (None: not known)."""
    if isinstance(a, Const):
        return a.value
    if isinstance(a, (Tuple, ListExpr)):
        vals = [_plain(x) for x in a.elts]
        return None if any(v is None for v in vals) else vals
    return None


def folded_text(op, args):
    """f"W{i}" of an unrolled counter (`'W' + str(i)`), `"_".join([k, "w"])` or `k.upper()` of known
    strings, as the Const key it is; None otherwise."""
    from ..rules.nondiff import STR_METHODS
    if op.startswith(".") and op[1:] in STR_METHODS and args and isinstance(args[0], Const) \
            and type(args[0].value) is str:
        vals = [_plain(a) for a in args[1:]]
        if any(v is None for v in vals):
            return None
        try:
            out = getattr(args[0].value, op[1:])(*vals)
        except (TypeError, ValueError):
            return None  # (Python's error, raised where the generated code runs it)
        return ListExpr(tuple(Const(x) for x in out)) if isinstance(out, list) else Const(out)
    if not all(isinstance(a, Const) and type(a.value) in (str, int, float, bool) for a in args):
        return None
    if op in _TEXT and args:
        return Const(_TEXT[op](*(a.value for a in args)))
    if op == "add" and len(args) == 2 and all(type(a.value) is str for a in args):
        return Const(args[0].value + args[1].value)
    return None


_INT_OPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
            "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b, "neg": lambda a: -a}


def folded_int(op, args):
    """Integer arithmetic of constants (`len(weights) - 1` of a container, an unrolled counter's
    `i + 1`) as the Const it is, so a test on it (`if i < len(weights) - 1:`) takes one branch when
    compiling; None for anything else (floats stay as written: the generated code computes them)."""
    if op not in _INT_OPS or not all(isinstance(a, Const) and type(a.value) is int for a in args):
        return None
    if op in ("floordiv", "mod") and args[1].value == 0:
        return None  # (Python's ZeroDivisionError, when it runs)
    return Const(_INT_OPS[op](*(a.value for a in args)))


def folded_test(op, args):
    """A test of constants (a dict's key in an unrolled `for k in d`: `k in ('w1', 'w2')`,
    `k.startswith('w')`) as the Const it is, so an `if` on it takes one branch when compiling;
    None for anything else (numbers only where both sides are Python numbers or strings)."""
    if op not in TESTS:
        return None
    vals = []
    for a in args:
        if isinstance(a, Const) and isinstance(a.value, (str, int, float, bool, type(None), enum.Enum)):
            vals.append(a.value)
        elif isinstance(a, Tuple) and all(isinstance(x, Const) for x in a.elts):
            vals.append(tuple(x.value for x in a.elts))
        else:
            return None
    if op.startswith(".") and not isinstance(vals[0], str):
        return None
    try:
        out = TESTS[op](*vals)
    except TypeError:
        return None
    return Const(out) if isinstance(out, bool) else None


_READS = ("tuple", "list", "reversed", ".copy", ".values", ".keys", ".items", "getitem")  # (no method inlined)


def sequence_value(flat, e, loc):
    """e as a list or tuple known when compiling (a CTree), or None.  Only a literal or a name can
    be one here: anything else is not evaluated (evaluating an object's method call inlines it,
    and the caller evaluates its arguments again)."""
    if not (isinstance(e, (Tuple, ListExpr, Name)) or isinstance(e, Call) and e.op in _READS):
        return None
    v = flat.ev(e, loc)
    if isinstance(v, (Tuple, ListExpr)):
        return CTree("tuple" if isinstance(v, Tuple) else "list", list(range(len(v.elts))), list(v.elts))
    return v if isinstance(v, CTree) and v.kind in ("list", "tuple") else None


def joined(flat, e, loc):
    """Python's `a + b` and `a * n` / `n * a` of lists or tuples, and `d | e` of dicts, known when
    compiling (None: an arithmetic operation)."""
    if e.op == "or_":  # d | e of dicts: e's entries over d's
        # (an operand read out of a container -- p['vecs'], d.copy(), dict(v) -- may be a dict too:
        # left to the arithmetic `|` before, it had no derivative, a silent zero gradient)
        # (and a | b | c: an operand that is itself a `|`, left to the arithmetic `|` before -- a
        # zero gradient for every entry of the chain)
        if not all(isinstance(x, (Name, DictExpr)) or isinstance(x, Call) and x.op in _READS + ("dict", "or_")
                   for x in e.args):
            return None
        d, o = (flat.ev(x, loc) for x in e.args)
        dicts = [isinstance(x, CTree) and x.kind == "dict" for x in (d, o)]
        if any(dicts) and not all(dicts):
            raise UnsupportedSyntaxError("| of a dict and something that is not a dict known when compiling", loc)
        if not any(dicts):
            return None
        keys, items = list(d.keys), list(d.items)
        for k, v in zip(o.keys, o.items):
            if k in keys:
                items[keys.index(k)] = v
            else:
                keys.append(k)
                items.append(v)
        return CTree("dict", keys, items)
    a, b = (sequence_value(flat, x, loc) for x in e.args)
    if e.op == "add" and a is not None and b is not None:
        if a.kind != b.kind:
            raise UnsupportedSyntaxError(f"{a.kind} + {b.kind} (Python raises TypeError)", loc)
        items = a.items + b.items
    elif e.op == "mul" and (a is None) != (b is None):
        count = flat.ev(e.args[1] if a is not None else e.args[0], loc)
        lens = getattr(flat, "lens", {})
        if isinstance(count, Call) and count.op == "len" and len(count.args) == 1 and isinstance(count.args[0], Name) \
                and count.args[0].id in lens:  # [0.0] * len(c) of an argument: its length in this signature
            count = Const(lens[count.args[0].id])
        if not (isinstance(count, Const) and isinstance(count.value, int) and not isinstance(count.value, bool)):
            return None  # [a, b] * s of a number or an array: numpy's elementwise product
        n = count.value
        a = a if a is not None else b
        items = a.items * max(n, 0)
    else:
        return None
    return CTree(a.kind, list(range(len(items))), items)


def without(flat, base, e, loc):
    """`d = dict_without(d, k, missing_ok)` (d.pop(k), d.pop(k, default), del d[k]): the dict known
    when compiling, without the entry k."""
    if not (isinstance(base, CTree) and base.kind == "dict" and base.path is None):
        raise UnsupportedSyntaxError(NOT_WITHOUT, loc)
    key = flat.static(e.args[1], loc, "the key popped or deleted")
    if key not in base.keys:
        if e.args[2].value:
            return CTree("dict", list(base.keys), list(base.items))
        raise UnsupportedSyntaxError(f"the key {key!r} is not in the dict (Python raises KeyError; "
                                     "pop(k, default) allows a missing key)", loc)
    at = base.keys.index(key)
    return CTree("dict", base.keys[:at] + base.keys[at + 1:], base.items[:at] + base.items[at + 1:])


NOT_WITHOUT = ("pop(i) or del of an element of a list built at run time, or of an entry of a dict that is not one "
               "the function made with keys known when compiling: build the list or dict without it instead "
               "(L.pop() of a list's last element is supported)")
NOT_SORTED = ("sorted() of something s2sgrad does not hold as a container when compiling (an array, a list built "
              "when the function runs, a tuple or list argument of names or numbers): sort an array with np.sort "
              "/ np.argsort; sort names in a dict argument (sorted(d)) or a list written in the function")


class _Unordered:
    """An item s2sgrad cannot compare when compiling (an array, a value known when it runs): any
    comparison Python's sort would make with it raises, and the sort is refused."""

    def _refuse(self, other):
        raise _CannotOrder

    __lt__ = __gt__ = __le__ = __ge__ = __eq__ = __ne__ = _refuse
    __hash__ = None  # type: ignore[assignment]


class _CannotOrder(Exception):
    pass


def _order_key(item):
    """What Python's sort compares for a container item: a constant's value, a tuple's (or list's)
    elements in turn; anything else an _Unordered that refuses to be compared."""
    if isinstance(item, Const):
        return item.value
    if isinstance(item, CTree) and item.kind in ("tuple", "list"):
        keys = tuple(_order_key(x) for x in item.items)
        return keys if item.kind == "tuple" else list(keys)
    if isinstance(item, (Tuple, ListExpr)):
        keys = tuple(_order_key(x) for x in item.elts)
        return keys if isinstance(item, Tuple) else list(keys)
    return _Unordered()


def sorted_items(base, e, loc):
    """sorted(c) of a container known when compiling (a CTree, or a list or tuple literal; a dict:
    its keys): a list of the same items
    in the order Python's sorted() gives them, decided when compiling -- only where every comparison
    that sort makes is between constants (dict keys, names, numbers, tuples of them: `sorted(d.items())`
    compares the keys alone, which differ); anything else is refused at the line."""
    rev = e.kw("reverse")
    if rev is not None and not (isinstance(rev, Const) and type(rev.value) is bool):
        raise UnsupportedSyntaxError("sorted(..., reverse=) with a value not known when compiling", loc)
    if isinstance(base, CTree):
        items = [Const(k) for k in base.keys] if base.kind == "dict" else list(base.items)
    else:  # a literal the pass holds as written (a list argument of names: ['b', 'W1'])
        items = list(base.elts)
    keys = [_order_key(x) for x in items]
    try:
        order = sorted(range(len(items)), key=lambda i: keys[i], reverse=bool(rev is not None and rev.value))
    except (_CannotOrder, TypeError):
        raise UnsupportedSyntaxError("sorted() of items s2sgrad cannot compare when compiling (arrays, values known "
                                     "when the function runs, or of types Python cannot order): sort keys or "
                                     "numbers known when compiling (sorted(d), sorted(d.items())), or sort an "
                                     "array with np.sort / np.argsort", loc) from None
    if isinstance(base, CTree):
        return CTree("list", list(range(len(items))), [items[i] for i in order])
    return ListExpr(tuple(items[i] for i in order))


def container_truth(pass_, e, loc):
    """What Python gives for a test over a dict, list or tuple known when compiling (a Const), else
    None: `x is None` / `x is not None` (a container is never None), `not x`, `bool(x)`, and `x or y`
    / `x and y` whose first operand is one (its length decides; Python returns that operand or the
    other, unevaluated when not needed)."""
    def size(a):
        return length(pass_.ev(a, loc))
    if e.op in ("is_", "is_not") and len(e.args) == 2 and not e.kwargs:
        for a, b in (e.args, e.args[::-1]):
            if isinstance(b, Const) and b.value is None and size(a) is not None:
                return Const(e.op == "is_not")
    if e.op in ("not_", "bool") and len(e.args) == 1 and not e.kwargs and size(e.args[0]) is not None:
        return Const(bool(size(e.args[0])) == (e.op == "bool"))
    if e.op in ("bool_and", "bool_or") and len(e.args) == 2 and size(e.args[0]) is not None:
        first = pass_.ev(e.args[0], loc)
        return first if bool(size(e.args[0])) == (e.op == "bool_or") else pass_.ev(e.args[1], loc)
    return None


def length(v):
    """The length of a dict, list or tuple known when compiling (or a literal of values known only at
    run time), else None."""
    if isinstance(v, CTree) and v.kind in ("dict", "list", "tuple"):
        return len(v.items)
    return len(v.elts) if isinstance(v, (Tuple, ListExpr)) else None
