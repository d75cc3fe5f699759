"""Name resolution for the lowerer (a mixin of frontend.lower._Lowerer): what a name or a dotted
path that is not a local stands for, read from the function's globals and closure when compiling.

Guarantees: a local is a local (never resolved against globals); a global or closure name is read
once, when compiling, and guarded (`guard`: rebinding it later recompiles); a number becomes a
constant, an array, tuple or string a captured value, a numpy dtype its numpy name, a builtin type
its name, anything else is refused at its line; `static_path` resolves `np.linalg.norm` to the
object Python would find, or None when the head is a local or a part is missing; a nested function
used as a value is refused (it is inlined where called).
"""
from __future__ import annotations

import copy
import math
import enum
import types

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Const, Name
from ..markers import UNBOUND
from ..passes.dataflow import UNBOUND as UNBOUND_NAME
from .guards import Contents, SameArray, SameElements, container_of_arrays, plain_constants


_UNGUARDED_MODULES = {"numpy", "math", "cmath", "scipy", "builtins", "s2sgrad", "functools", "operator"}


class NameResolution:
    """`name`, `guard`, `static_value`, `static_path`, `static_callee` (see the module docstring);
    uses the lowerer's namespace, locals, local functions, captured values and guards."""

    def name(self, e: cst.Name):
        n = e.value
        if n in self.local_functions:
            raise self.error(UnsupportedSyntaxError, f"the function '{n}' used as a value (returned, stored, "
                             "compared or changed): s2sgrad calls a function where it is called, decided when "
                             "compiling; call it, pass it to a helper that calls it, or loop over a list of "
                             "functions and call each", e)
        if n in self.locals:
            self.stmt_reads.add(n)  # (a := later in this statement must not bind it: expressions.named)
            return Name(n)
        if n in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[n])
        if n not in self.ns:
            raise self.error(UnsupportedSyntaxError, f"name '{n}' is not defined", e)
        self.guard(n)
        obj = self.ns[n]
        if type(obj) in (list, dict) and plain_constants(obj):
            # a module-level list or dict of constants (CONFIG = {"n_fft": 256}, SENSORS = [5, 17]):
            # read from a copy taken now, like a tuple; the guard watches its contents
            snapshot = copy.deepcopy(obj)
            if n in self.guards:
                self.guards[n] = (self.guards[n][0], n, Contents(obj, snapshot))
            return self.captured_value(n, snapshot)
        if container_of_arrays(obj):
            # LAYERS = [W1, W2] of arrays: read like an object from a global (passes/containers.py),
            # the guard watching which objects it holds
            if n in self.guards:
                self.guards[n] = (self.guards[n][0], n, SameElements(obj))
            return self.captured_value(n, obj)
        if isinstance(obj, np.ndarray) and n in self.guards:  # (its shape and dtype watched too)
            self.guards[n] = (self.guards[n][0], n, SameArray(obj))
        return self.static_value(n, obj, e)

    def guard(self, name):
        """Remember that compilation read global/closure `name` (numbers are inlined as constants,
        helpers inlined as code: if the name is rebound later, the function must recompile)."""
        container = self.where.get(name)
        if container is not None and not isinstance(self.ns.get(name), types.ModuleType):
            self.guards[name] = (container, name, self.ns[name])

    def static_value(self, label, obj, node):
        if obj is UNBOUND:  # (generated code read again, a Hessian's tangent: passes/unbound.py)
            return UNBOUND_NAME
        if isinstance(obj, (bool, int, float, enum.Enum)) or obj is None:
            return Const(obj)  # (an Enum member: compared when compiling, frontend/dispatch.py)
        if isinstance(obj, type) and getattr(np, obj.__name__, None) is obj:
            return Name(f"np.{obj.__name__}")  # dtypes such as np.float32: printed as numpy's name
        if obj is float or obj is int or obj is bool or obj is complex:
            return Name(obj.__name__)  # x.astype(float): the builtin type, as written
        if isinstance(obj, np.ndarray) or isinstance(obj, (tuple, str)):
            return self.captured_value(label, obj)
        hint = "" if not callable(obj) or isinstance(obj, type) else (
            ": s2sgrad calls a function where it is called, decided when compiling: bind it to a name, put it in "
            "a list or dict of functions, pass it to a helper or to a method of self; an object's method given a "
            "function, or a container also holding values, is not read")
        raise self.error(UnsupportedSyntaxError, f"'{label}' ({type(obj).__name__}) used as a value{hint}", node)

    def captured_value(self, label, obj):
        name = base = label.replace(".", "_")
        k = 1
        # an inlined helper's global of the same name (another object), or a local of that name
        while (name in self.captured and self.captured[name] is not obj) or name in self.locals:
            k += 1  # (calls.py renames the other way round)
            name = f"{base}_{k}"
        self.captured[name] = obj
        return Name(name)

    def static_path(self, e):
        """`np.linalg.norm` -> ("np.linalg.norm", object) when the head is not a local, else None."""
        node, parts = e, []
        while isinstance(e, cst.Attribute):
            parts.append(e.attr.value)
            e = e.value
        if not isinstance(e, cst.Name) or e.value in self.locals or e.value not in self.ns:
            return None
        obj = self.ns[e.value]
        self.guard(e.value)
        path = [e.value]
        for p in reversed(parts):
            if isinstance(obj, (np.ndarray, np.generic)) or container_of_arrays(obj):
                return None  # W.T, W.sum(), PARAMS.items() of a global array or container: an expression on it
            if not hasattr(obj, p):
                return None
            self._guard_attribute(obj, p, ".".join(path + [p]), node)
            obj = getattr(obj, p)
            path.append(p)
        return ".".join(path), obj

    def _guard_attribute(self, owner, attr, label, node):
        """Guard `owner.attr` (compiled in as a constant or inlined as code: `cfg.K`, `Scale.factor`,
        `helpers.h`): rebinding it recompiles -- in the dict that holds it, and as still absent from
        every dict looked at before that one (an instance's, a subclass's: a value set there later
        would shadow it).  A property or slot computes its value on each read: refused, as nothing
        could notice a change.  numpy's, math's and the standard modules' attributes are not guarded
        (every call checks the guards; nobody rebinds np.exp)."""
        from .lower import _MISSING
        if isinstance(owner, tuple) and attr in getattr(type(owner), "_fields", ()):
            return  # a named tuple's field: it cannot change (the name holding the tuple is guarded)
        if isinstance(owner, types.ModuleType):
            if owner.__name__.split(".")[0] in _UNGUARDED_MODULES or attr not in vars(owner):
                return  # a module __getattr__ (PEP 562): nothing to guard
            chain = [vars(owner)]
        else:
            own = [vars(owner)] if isinstance(getattr(owner, "__dict__", None), dict) and \
                not isinstance(owner, type) else []
            chain = own + list(owner.__mro__ if isinstance(owner, type) else type(owner).__mro__)
        for k, container in enumerate(chain):
            d = container if isinstance(container, dict) else vars(container)
            if attr in d:
                raw = d[attr]
                if not isinstance(container, dict) and hasattr(type(raw), "__get__") and (
                        hasattr(type(raw), "__set__") or hasattr(type(raw), "__delete__")):
                    raise self.error(UnsupportedSyntaxError, f"'{label}' is a property or slot, whose value can "
                                     "change without anything s2sgrad can watch: pass the value as an argument", node)
                self.guards[("attribute", label, k)] = (container, attr, raw)
                return
            self.guards[("attribute", label, k)] = (container, attr, _MISSING)

    def static_callee(self, func):
        hit = self.static_path(func)
        return None if hit is None else hit[1]


LITERAL_TYPES = (int, float, bool, str, type(None))  # (defaults written back into source: literal_node)


def literal_node(value):
    """A constant (a number, string, bool or None) as source: inf and nan as float('inf'), which
    Python reads back as the value (repr writes `inf`, a name)."""
    if isinstance(value, float) and not math.isfinite(value):
        return cst.parse_expression(f"float({str(value)!r})")
    return cst.parse_expression(repr(value))
