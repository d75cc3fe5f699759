"""Guards on module-level lists and dicts of constants that compiled code reads (`CONFIG =
{"n_fft": 256}`, `SENSORS = [5, 17, 29]`).

Guarantee: `plain_constants` admits only numbers, strings, booleans and None in lists, tuples and
dicts, so a deep copy taken when compiling is the whole value; `Contents.holds` is true only while
the name is bound to the same object holding equal contents of the same types, so in-place changes
(CONFIG["lr"] = 0.2, SENSORS.append(3)) make the caller compile again.
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Call, Name

class ContentGuard:
    """A guard's object that checks what the name holds, not only which object (lower.guards_hold
    asks `holds(value now)`)."""

    def holds(self, now) -> bool:
        raise NotImplementedError


class Contents(ContentGuard):
    """A guard's object for a module-level list or dict of constants (`CONFIG = {"lr": 0.1}`):
    compiled code reads a copy taken when compiling, so the guard holds while the name is bound
    to the same object with the same contents (types compared too: 1 and 1.0 and True differ)."""

    def __init__(self, obj, snapshot):
        self.obj, self.snapshot = obj, snapshot

    def holds(self, now) -> bool:
        return now is self.obj and same_constants(now, self.snapshot)


class DefaultsOf:
    """Where a helper's defaults guard looks (lower.guards_hold reads `cell_contents`)."""

    def __init__(self, fn):
        self.fn = fn

    @property
    def cell_contents(self):
        return self.fn


class SameDefaults(ContentGuard):
    """A guard on the default values of a function compiled in (a helper inlined with its defaults,
    `def helper(z, s=SIZES)`): the same tuples of defaults, and each default that is a container of
    constants holding what it held (`SIZES[0] = -7.0` and `helper.__defaults__ = (3.0,)` make the
    caller compile again)."""

    def __init__(self, fn):
        import copy
        self.defaults, self.kwdefaults = fn.__defaults__, fn.__kwdefaults__
        values = list(self.defaults or ()) + list((self.kwdefaults or {}).values())
        # (an array default is read when the code runs, as a global array is: its identity is enough)
        self.snapshot = [copy.deepcopy(v) if plain_constants(v) else None for v in values]

    def holds(self, now) -> bool:
        if now.__defaults__ is not self.defaults or now.__kwdefaults__ is not self.kwdefaults:
            return False
        values = list(self.defaults or ()) + list((self.kwdefaults or {}).values())
        return all(snap is None or same_constants(v, snap) for v, snap in zip(values, self.snapshot))


class SameElements(ContentGuard):
    """A guard's object for a module-level list or dict holding arrays (`LAYERS = [W1, W2]`): the
    compiled code reads its arrays when it runs, so the guard holds while the name is bound to the
    same container holding the same objects under the same keys (LAYERS.append(W3), PARAMS['w'] =
    W compile again; W1 changed in place is read as it is then)."""

    def __init__(self, obj):
        self.obj, self.shape = obj, _elements(obj)

    def holds(self, now) -> bool:
        return now is self.obj and _elements(now) == self.shape


class SameArray(ContentGuard):
    """A guard's object for a module-level or closure array: the compiled code is specialised on its
    shape and dtype and reads it when it runs, so the guard holds while the name is bound to the
    same array of the same shape and dtype (V.resize(...), V.shape = ... compile again)."""

    def __init__(self, obj):
        self.obj, self.layout = obj, (obj.shape, obj.dtype)

    def holds(self, now) -> bool:
        return now is self.obj and (now.shape, now.dtype) == self.layout


def _elements(v, depth=0):
    """What a container holds, by identity (its keys and its elements' ids, nested containers
    spelled out; an array's shape and dtype too)."""
    if hasattr(v, "shape") and hasattr(v, "dtype") and type(v).__module__ == "numpy":
        return (id(v), v.shape, v.dtype)
    if depth > 8 or type(v) not in (list, tuple, dict):
        return id(v)
    items = v.items() if type(v) is dict else enumerate(v)
    return (type(v).__name__, tuple((k, _elements(x, depth + 1)) for k, x in items))


def container_of_arrays(v) -> bool:
    """A module-level list or dict holding arrays (`LAYERS = [W1, W2]`), read like an object from a
    global (not only numbers: a list or dict of those is read from a copy, `Contents`)."""
    from ..passes.trees import tree_of
    return type(v) in (list, dict) and not plain_constants(v) and tree_of(v) is not None


def plain_constants(v, depth=0) -> bool:
    """v is numbers, strings, booleans and None, in lists, tuples and dicts (nothing mutable that
    a copy could miss a change of, no arrays, at most a few levels deep)."""
    if type(v) in (int, float, bool, str, complex, type(None)):
        return True
    if depth > 4:
        return False
    if type(v) in (list, tuple):
        return all(plain_constants(x, depth + 1) for x in v)
    if type(v) is dict:
        return all(plain_constants(k, depth + 1) and plain_constants(x, depth + 1) for k, x in v.items())
    return False


def same_constants(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same_constants(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(same_constants(a[k], b[k]) for k in a)
    return a == b or a != a and b != b  # (nan is nan)


_CHANGING_METHODS = {"list_append", "list_pop", "list_extend", ".update", ".pop", ".setdefault", ".clear",
                     ".popitem", ".insert", ".remove", ".sort", ".reverse", ".append", ".extend"}


def refuse_changes(body, snapshots: dict, params=()) -> None:
    """Refuse a change, inside the function, of a module-level list or dict of constants (compiled
    code reads a copy: the change would not reach the user's object) -- through its name or any
    name that may hold it or a list or dict inside it (`s = SENSORS`, `row = TABLE[0]`).  A list or
    dict argument changed in place (`lst.append(1)`) may be that very object (`f(x, lst=SENSORS)`):
    the function's later reads of the copy would not see the change, so that is refused too."""
    if not snapshots:
        return
    stmts = list(ir.walk(body))
    for s in stmts:
        v = getattr(s, "value", None)
        if isinstance(v, Call) and v.op in _CHANGING_METHODS and v.args and isinstance(v.args[0], Name) \
                and v.args[0].id in params:
            g = sorted(snapshots)[0]
            raise UnsupportedSyntaxError(
                f"this changes the argument '{v.args[0].id}' in place, and the function reads the module-level "
                f"{type(snapshots[g]).__name__} '{g}' as a constant: were they one object, the function would read "
                f"'{g}' as it was before the change. Change a copy of the argument ({v.args[0].id} = "
                f"list({v.args[0].id}) or dict(...)), or pass '{g}' as an argument too", s.loc)
    holders = {n: n for n in snapshots}  # name -> the module-level name it may hold (part of)
    changed = True
    while changed:
        changed = False
        for s in stmts:
            src = _held(s, holders, snapshots)
            for t in (ir.target_names(s.target) if isinstance(s, ir.For) else
                      s.targets if isinstance(s, ir.Assign) and src else ()):
                if src and t not in holders:
                    holders[t] = src
                    changed = True
    for s in stmts:
        v = getattr(s, "value", None)
        hit = None
        if isinstance(s, ir.SetItem) and s.target in holders:
            hit = s.target
        elif isinstance(s, ir.Assign) and s.aug and s.target in holders:
            hit = s.target
        elif isinstance(v, Call) and v.op in _CHANGING_METHODS and v.args and isinstance(v.args[0], Name) \
                and v.args[0].id in holders:
            hit = v.args[0].id
        if hit is not None:
            g = holders[hit]
            kind = type(snapshots[g]).__name__
            raise UnsupportedSyntaxError(
                f"this changes the module-level {kind} '{g}'" + (f" (through '{hit}')" if hit != g else "")
                + f": s2sgrad reads module-level containers as constants. Change a copy of your own "
                f"(mine = {'copy.deepcopy' if _nested(snapshots[g]) else kind}({g})), or pass it as an argument",
                s.loc)


def _held(s, holders, snapshots):
    """The module-level name whose list or dict (or a list or dict inside it) statement s binds
    its target(s) to, or None."""
    if isinstance(s, ir.For):
        names = [n for n in ir.expr_names(s.iter) if n in holders]
        return holders[names[0]] if names and _nested(snapshots[holders[names[0]]]) else None
    if not isinstance(s, ir.Assign):
        return None
    v = s.value
    if isinstance(v, Name) and v.id in holders:
        return holders[v.id]
    if isinstance(v, Call) and v.op in ("getitem", ".get", ".values", ".items") and v.args \
            and isinstance(v.args[0], Name) and v.args[0].id in holders and _nested(snapshots[holders[v.args[0].id]]):
        return holders[v.args[0].id]
    return None


def _nested(value) -> bool:
    """Whether a list or dict holds a list or dict (an element read out of it can be changed)."""
    items = value.values() if isinstance(value, dict) else value
    return any(type(x) in (list, dict) or type(x) is tuple and _nested(x) for x in items)
