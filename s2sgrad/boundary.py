"""The call boundary: what a call's arguments, seed and source must be for the cached code to apply.

Guarantees (each one a way a stale or mismatched compilation would give a wrong gradient silently):
- `prepare(args)` gives the arguments the generated code runs on and the cache key of their
  signature.  The key always holds the shape and dtype of every array (ndarray subclasses and
  arrays inside lists, tuples and dicts included) and the structure of containers, so code compiled
  for one shape is never reused for another.  A list or tuple of numbers passed for a
  differentiated argument is converted with `np.asarray` (its gradient has the array's shape).
  np.matrix, masked arrays, other ndarray subclasses and torch/JAX/CuPy tensors are refused.
- `check_seed` refuses a seed whose shape is not the output's (or broadcastable to it).
- `check_source_current` refuses a function whose source file was edited after it was compiled by
  Python: s2sgrad compiles the text, so it would differentiate code that does not run.
"""
from __future__ import annotations

import dis
import inspect
import types

import numpy as np

from . import ir
from .errors import ArgumentError, StaleSourceError

_ndarray = np.ndarray
_FOREIGN = {"torch": "torch tensor", "jax": "JAX array", "jaxlib": "JAX array", "cupy": "CuPy array",
            "tensorflow": "TensorFlow tensor", "mlx": "MLX array", "dask": "Dask array"}


# ------------------------------------------------------------------------------------ arguments
_SCALARS = frozenset({float, int, bool} | {t for t in set(np.sctypeDict.values())
                                             if issubclass(t, np.generic) and np.dtype(t).kind in "biufc"})


def fast_key(args):
    """The signature key when every argument is a plain ndarray or number (the per-call fast path,
    the same key `Boundary.prepare` gives them); None when one needs a closer look."""
    out = []
    for a in args:
        t = type(a)
        if t is _ndarray:
            out.append((a.dtype, a.shape))
        elif t in _SCALARS:
            out.append(t)
        elif t is dict:  # a dict of parameters: the same key Boundary.prepare gives it
            out.append(dict_key(a))
        else:
            return None
    return tuple(out)


class Boundary:
    """Per-function argument handling (which parameters are differentiated, how their tuples may
    be used)."""

    def __init__(self, params, wrt, parsed):
        self.params = tuple(params)
        self.wrt = frozenset(wrt)
        self.parsed = parsed
        self._seq_checked = {}

    def prepare(self, args):
        """(args for the generated code, signature key)."""
        key = []
        conv = None
        for i, a in enumerate(args):
            t = type(a)
            if t is _ndarray:
                key.append((a.dtype, a.shape))
            elif t is float or t is int or t is bool:
                key.append(t)
            elif t is dict:  # a dict of parameters: its structure (the common container)
                key.append(dict_key(a))
            elif t in _OBJECT_KEYS and (k := _OBJECT_KEYS[t](a)) is not None:  # a layer object seen before
                key.append(k)
            else:
                b, k = self._slow(a, i)
                key.append(k)
                if b is not a:
                    if conv is None:
                        conv = list(args)
                    conv[i] = b
        return (args if conv is None else tuple(conv)), tuple(key)

    def _slow(self, a, i):
        name = self.params[i] if i < len(self.params) else f"#{i}"
        if isinstance(a, np.generic):
            return a, type(a)
        if isinstance(a, _ndarray):
            return _subclass(a, name), (a.dtype, a.shape)
        foreign = _foreign(a)
        if foreign:
            raise ArgumentError(
                f"argument '{name}' is a {foreign} ({type(a).__module__}.{type(a).__qualname__}): the numpy "
                "backend differentiates numpy code, and running it on another array library would not "
                f"compute what your function means. Pass a numpy array (e.g. {name}.detach().cpu().numpy() "
                "for torch), or use differentiate(..., backend='triton') for torch tensors")
        if isinstance(a, (list, tuple)) and name in self.wrt and not hasattr(type(a), "_fields"):
            arr = _numeric_array(a)  # (a named tuple stays one: its fields are read by name)
            if arr is not None:
                self._check_sequence_use(name, type(a).__name__)
                return arr, (arr.dtype, arr.shape)
        return a, tree_key(a)

    def _check_sequence_use(self, name, kind):
        """A list/tuple differentiated as the array it holds must not meet Python's sequence
        operators in the function (`x + x` concatenates a tuple, `x * 2` repeats it): the gradient
        of the array version would not be the gradient of what the function computes."""
        if name not in self._seq_checked:
            self._seq_checked[name] = sequence_use(self.parsed.ir, name)
        use = self._seq_checked[name]
        if use is not None and use[0] == "truth":
            raise ArgumentError(
                f"argument '{name}' is a {kind}, and the function tests its truth, which for a {kind} is "
                f"whether it is empty and for the array s2sgrad differentiates is what its elements are: "
                f"test len({name}) > 0 instead, or pass np.asarray({name})", use[1])
        if use is not None:
            op, loc = use
            raise ArgumentError(
                f"argument '{name}' is a {kind}, and the function applies `{op}` to it, which "
                f"{'concatenates' if op == '+' else 'repeats' if op == '*' else 'compares'} {kind}s rather "
                f"than computing elementwise: pass np.asarray({name}) (or an array) to differentiate it", loc)


def _subclass(a, name):
    if isinstance(a, np.matrix):
        raise ArgumentError(
            f"argument '{name}' is an np.matrix: `*` on a matrix is a matrix product and it stays 2-D under "
            "reductions, so numpy code does not mean the same on it; pass np.asarray(" + name + ")")
    if isinstance(a, np.ma.MaskedArray):
        raise ArgumentError(
            f"argument '{name}' is a masked array: masked entries are not modelled, so its gradient would "
            f"be wrong; pass {name}.filled(value) or np.asarray({name})")
    if isinstance(a, np.memmap):
        return np.asarray(a)  # a plain view of the same memory: same values, numpy semantics
    raise ArgumentError(
        f"argument '{name}' is a {type(a).__qualname__} (an ndarray subclass, which may change what "
        f"numpy operations do): pass np.asarray({name})")


def _foreign(a):
    mod = type(a).__module__.partition(".")[0]
    return _FOREIGN.get(mod)


def _numeric_array(a):
    """np.asarray(a) when a is a (nested) list/tuple of numbers; None otherwise."""
    def numbers_only(x):
        if isinstance(x, (list, tuple)):  # (a named tuple is a container of its fields: read by name)
            return not hasattr(type(x), "_fields") and all(numbers_only(y) for y in x)
        return isinstance(x, (int, float, np.number, np.bool_)) and not isinstance(x, complex)
    if not numbers_only(a):
        return None
    try:
        arr = np.asarray(a)
    except ValueError:  # ragged
        return None
    return arr if arr.dtype.kind in "biuf" else None


_DICT_KEYS: dict = {}  # the dict's keys -> a compiled key function for the structure last seen with them


def dict_key(a):
    """tree_key(a) for a dict, through straight-line code compiled for the structure it last had:
    a training loop passes dicts of the same structure every step, and the generic walk (a Python
    call per node) cost as much as a small model's gradient (a 2-layer dict: 1.9 -> ~0.7 µs).  The
    compiled function checks every type and length it relies on and returns None on any mismatch;
    then the walk runs and the function is recompiled."""
    names = tuple(a)
    fn = _DICT_KEYS.get(names)
    if fn is not None:
        try:
            k = fn(a)
        except (KeyError, IndexError, TypeError, AttributeError):
            k = None
        if k is not None:
            return k
    k = tree_key(a)
    if len(_DICT_KEYS) < 64:
        _DICT_KEYS[names] = _compile_key(k)
    return k


def _compile_key(key):
    """Source of `key_of(a)` rebuilding `key` (a tree_key) from an argument of that structure."""
    lines, counter = [], [0]

    def var():
        counter[0] += 1
        return f"v{counter[0]}"

    def walk(k, expr):
        """Checks for the value at expr, and the expression of its key."""
        if isinstance(k, tuple) and len(k) == 2 and isinstance(k[0], np.dtype):
            v = var()
            lines.append(f"{v} = {expr}")
            lines.append(f"if type({v}) is not nd: return None")
            return f"({v}.dtype, {v}.shape)"
        if isinstance(k, tuple) and k and k[0] is dict:
            v = var()
            lines.append(f"{v} = {expr}")
            lines.append(f"if type({v}) is not dict or tuple({v}) != {k[1]!r}: return None")
            parts = [walk(c, f"{v}[{name!r}]") for name, c in zip(k[1], k[2])]
            return f"(dict, {k[1]!r}, ({''.join(p + ', ' for p in parts)}))"
        if isinstance(k, tuple) and k and k[0] in (list, tuple) and len(k) == 2 and isinstance(k[1], tuple):
            v = var()
            kind = k[0].__name__
            lines.append(f"{v} = {expr}")
            lines.append(f"if type({v}) is not {kind} or len({v}) != {len(k[1])}: return None")
            parts = [walk(c, f"{v}[{i}]") for i, c in enumerate(k[1])]
            return f"({kind}, ({''.join(p + ', ' for p in parts)}))"
        if k in (float, int, bool):
            v = var()
            lines.append(f"{v} = {expr}")
            lines.append(f"if type({v}) is not {k.__name__}: return None")
            return k.__name__
        raise _Uncompiled
    try:
        result = walk(key, "a")
    except _Uncompiled:
        return lambda a: None  # a structure this compiler does not cover: the walk every time
    src = "def key_of(a):\n" + "".join(f"    {line}\n" for line in lines) + f"    return {result}\n"
    scope = {"nd": _ndarray}
    exec(compile(src, "<s2sgrad dict key>", "exec"), scope)
    return scope["key_of"]


class _Uncompiled(Exception):
    pass


def tree_key(a):
    """structure_key, fast for the containers of arrays people pass as parameters (a dict with a
    list of layers: ~3 µs), and for objects (a model instance): their attributes' structure, so a
    new attribute shape recompiles.  Tuples of plain numbers keep structure_key's by-value key
    (their values are compiled into the code)."""
    t = type(a)
    if t is _ndarray:
        return (a.dtype, a.shape)
    if t is dict:
        return (dict, tuple(a), tuple(map(tree_key, a.values())))
    if t is list:
        return (list, tuple(map(tree_key, a)))
    from .passes.trees import _attribute_kept, _is_object
    if t is tuple:
        for v in a:
            tv = type(v)
            if tv is _ndarray or tv is tuple or tv is list or tv is dict or _is_object(v):
                return (tuple, tuple(map(tree_key, a)))
        return structure_key(a)
    if t is float or t is int or t is bool:
        return t
    if isinstance(a, tuple) and hasattr(t, "_fields"):  # a named tuple: a container of its fields
        return (t, tuple((type(v), v) if type(v) in (int, bool) else tree_key(v) for v in a))
    if _is_object(a):  # its class (whose methods are inlined) and its attributes' structure
        fn = _OBJECT_KEYS.get(t)
        k = fn(a) if fn is not None else None
        if k is not None:
            return k
        kept = {k: v for k, v in vars(a).items() if _attribute_kept(v)}
        hidden = tuple(k for k in vars(a) if k not in kept)  # a function set on the instance shadows a method
        k = (t, tuple(kept), tuple([tree_key(v) for v in kept.values()]), hidden)
        if len(_OBJECT_KEYS) < 64:
            _OBJECT_KEYS[t] = _compile_object_key(a, k)
        return k
    return structure_key(a)


_OBJECT_KEYS: dict = {}  # class -> a compiled key function for the attributes its objects last had


def _compile_object_key(a, key):
    """`key_of(a)` giving tree_key of an object of a's class in straight-line code, or None when
    the object's attributes differ from a's in names or types (then the walk runs and this is
    recompiled): an object argument is a training loop's layer, passed every step with the same
    attributes, and the walk cost more than the rest of a small layer's call (2 attributes: ~3 µs).
    An attribute's type decides whether it is kept (passes/trees._attribute_kept), so the types the
    function checks make the kept attributes the same as a's."""
    names, kept, hidden = tuple(vars(a)), key[1], key[3]
    lines = ["d = a.__dict__", f"if tuple(d) != {names!r}: return None"]
    scope = {"nd": _ndarray, "T": key[0], "tree_key": tree_key}
    parts = []
    for i, n in enumerate(names):
        v = vars(a)[n]
        scope[f"t{i}"] = type(v)
        lines.append(f"v{i} = d[{n!r}]")
        lines.append(f"if type(v{i}) is not t{i}: return None")
        if n not in kept:
            continue
        if type(v) is _ndarray:
            parts.append(f"(v{i}.dtype, v{i}.shape)")
        elif type(v) in (float, int, bool):
            parts.append(type(v).__name__)
        else:  # a container, a string or an object inside: the general walk
            parts.append(f"tree_key(v{i})")
    result = f"(T, {kept!r}, ({''.join(p + ', ' for p in parts)}), {hidden!r})"
    src = "def key_of(a):\n" + "".join(f"    {line}\n" for line in lines) + f"    return {result}\n"
    exec(compile(src, "<s2sgrad object key>", "exec"), scope)
    return scope["key_of"]


def structure_key(a):
    """A hashable description of a non-array argument: containers by structure (the shape and dtype
    of every array in them), hashable values by value (they may be baked into the code as
    constants), anything else by type."""
    t = type(a)
    if t is _ndarray or isinstance(a, _ndarray):
        return (t, a.dtype, a.shape)
    if isinstance(a, np.generic) or t is float or t is int or t is bool:
        return t
    if isinstance(a, (tuple, list)):  # (a named tuple too: its fields' shapes, not its class alone)
        try:
            return (t, "value", hash(a), a) if isinstance(a, tuple) and _constant_tuple(a) else (
                t, tuple(structure_key(x) for x in a))
        except TypeError:
            return (t, tuple(structure_key(x) for x in a))
    if isinstance(a, dict):  # (a defaultdict, an OrderedDict too)
        return (t, tuple((k, structure_key(v)) for k, v in a.items()))
    try:
        hash(a)
        return (t, a)
    except TypeError:
        return t


def _constant_tuple(a):
    # what shapes.abstract_of treats as a compile-time constant (its value is baked into the code)
    return all(isinstance(x, (int, float, str, type(None))) for x in a)


def sequence_use(fn_ir, name):
    """(operator, loc) of the first `+`, `*`, `==` or `!=` applied to parameter `name` (or a plain
    alias of it) in the function's IR, or of a test of its truth ("truth": `if ws:`, `not ws`,
    `ws or default`, which ask a list whether it is empty and an array what its elements are);
    None when there is none."""
    names = {name}
    symbols = {"add": "+", "mul": "*", "eq": "==", "ne": "!="}
    for s in ir.walk(fn_ir.body):
        if isinstance(s, ir.Assign) and isinstance(s.value, ir.Name) and s.value.id in names:
            names.update(s.targets)
        if isinstance(s, (ir.If, ir.While)) and isinstance(s.test, ir.Name) and s.test.id in names:
            return "truth", s.loc
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Call) and s.value.op == "assert" and \
                s.value.args and isinstance(s.value.args[0], ir.Name) and s.value.args[0].id in names:
            return "truth", s.loc  # (assert ws)
        for c in ir.stmt_calls(s):
            if c.op in symbols and _sequence_semantics(c, names):
                return symbols[c.op], s.loc
            if c.op in ("not_", "bool", "bool_and", "bool_or") and any(
                    isinstance(a, ir.Name) and a.id in names for a in c.args):
                return "truth", s.loc
    return None


def _sequence_semantics(c, names):
    """Whether Python's sequence meaning of c (a binary operator) differs from numpy's when an
    operand in `names` is a tuple: `t * 2` repeats, `t + u` concatenates, `t == u` is one bool.
    `t * 2.0` and `t + 1.0` raise TypeError in Python, so the function cannot mean those on tuples."""
    if len(c.args) != 2:
        return False
    for mine, other in ((c.args[0], c.args[1]), (c.args[1], c.args[0])):
        if not (isinstance(mine, ir.Name) and mine.id in names):
            continue
        if c.op == "mul" and isinstance(other, ir.Const) and type(other.value) is float:
            continue
        if c.op == "add" and isinstance(other, ir.Const) and type(other.value) in (int, float):
            continue
        return True
    return False


# ----------------------------------------------------------------------------------------- seeds
def seed_for(seed, out_shape, qualname):
    """The seed to run the generated code with, for an output of shape `out_shape` (None when not
    known before running).  A seed must have the output's shape, or broadcast to it without
    growing it (a scalar seed for an array output: the same cotangent everywhere)."""
    s_shape = np.shape(seed)
    if out_shape is None or tuple(s_shape) == tuple(out_shape):
        return seed
    check_seed_shape(s_shape, out_shape, qualname)
    return np.broadcast_to(seed, out_shape).copy()


def check_seed_shape(s_shape, out_shape, qualname):
    s_shape, out_shape = tuple(s_shape), tuple(out_shape)
    if s_shape == out_shape:
        return
    try:
        ok = np.broadcast_shapes(s_shape, out_shape) == out_shape
    except ValueError:
        ok = False
    if not ok:
        raise ArgumentError(
            f"seed has shape {s_shape} but {qualname} returns shape {out_shape}: the seed is the cotangent "
            "of the output (PyTorch: y.backward(gradient=v)), so it needs the output's shape")


# ---------------------------------------------------------------------------------------- source
_FUTURE = 0
for _f in ("annotations", "division", "generator_stop", "barry_as_FLUFL"):
    import __future__ as _fut
    _FUTURE |= getattr(getattr(_fut, _f, None), "compiler_flag", 0)
_SKIP = {"RESUME", "COPY_FREE_VARS", "MAKE_CELL", "PUSH_NULL", "NOP", "CACHE", "EXTENDED_ARG", "PRECALL"}
_LOADS = {"LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_CLASSDEREF", "LOAD_FROM_DICT_OR_DEREF",
          "LOAD_FROM_DICT_OR_GLOBALS"}
_JUMPS = set(dis.hasjrel) | set(dis.hasjabs)


def check_source_current(fn, source):
    """Raise StaleSourceError when `source` (the text s2sgrad read for fn) is not the text fn's code
    was compiled from: the file was edited (or lines moved) after the module was imported."""
    own = fn if isinstance(fn, types.FunctionType) else inspect.unwrap(fn)  # (a decorator's wrapper: its own code)
    code = getattr(own, "__code__", None)
    if code is None or source is None:
        return
    rewritten = "@pytest_ar" in getattr(own, "__globals__", {})
    if not _same_code(code, source, rewritten):
        qual = getattr(fn, "__qualname__", repr(fn))
        raise StaleSourceError(
            f"the source of {qual} in {source.file} has changed since Python imported it (the file was "
            f"edited): s2sgrad compiles the text, so it would differentiate code that is not the code "
            f"{qual}(...) runs. Reload the module (importlib.reload, or restart the interpreter or "
            "kernel) and apply differentiate again")


def _same_code(code, source, rewritten=False):
    text = "\n" * (source.first_line - 1) + source.text
    try:
        module = compile(text, source.file, "exec", flags=code.co_flags & _FUTURE, dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    # the code objects of that name (at fn's line where there are several: a file's lambdas), nested ones too
    found = [c for c in _codes(module) if c.co_name == code.co_name]
    if len(found) > 1:
        found = [c for c in found if c.co_firstlineno == code.co_firstlineno]
    if not found:
        return False
    if rewritten:  # pytest rewrote the module's assert statements: compare what rewriting keeps
        return any(_outline_matches(fresh, code) for fresh in found)
    return any(_fingerprint(fresh) == _fingerprint(code) for fresh in found)


def _codes(code):
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            yield c
            yield from _codes(c)


def _outline_matches(fresh, code):
    """What pytest's assertion rewriting leaves unchanged: the lines that hold code, the argument
    counts, and the names and locals -- the rewriter only adds its own (`@py_assert1`,
    `@pytest_ar._saferepr`, AssertionError)."""
    def lines(c):
        return sorted({ln for _, _, ln in c.co_lines() if ln is not None})

    def extra_ok(names):
        return all(n.startswith(("@", "_")) or n in ("AssertionError", "locals", "globals") for n in names)
    return ((fresh.co_name, fresh.co_argcount, fresh.co_kwonlyargcount, fresh.co_firstlineno, lines(fresh))
            == (code.co_name, code.co_argcount, code.co_kwonlyargcount, code.co_firstlineno, lines(code))
            and set(fresh.co_names) <= set(code.co_names) | set(code.co_freevars)  # closure cells
            and extra_ok(set(code.co_names) - set(fresh.co_names))
            and set(fresh.co_varnames) <= set(code.co_varnames)
            and extra_ok(set(code.co_varnames) - set(fresh.co_varnames)))


def _fingerprint(code):
    """The code's instructions with what compiling the function alone (not inside its class or
    enclosing function) changes normalized away: how a free name is loaded (global vs closure
    cell), cell bookkeeping, jump offsets, method loads (Python 3.11 loads `np.sum` as an attribute
    when it can see `import numpy as np` in the same file).  Line numbers are kept: an edit that only moves lines
    also makes s2sgrad's error locations wrong."""
    out = [code.co_name, code.co_argcount, code.co_kwonlyargcount, code.co_firstlineno]
    line = None
    for ins in dis.get_instructions(code):
        # the line first: a skipped instruction may start a statement (PUSH_NULL before a call of a
        # closure cell, which a standalone compile loads as a global with no PUSH_NULL)
        if ins.starts_line is not None and ins.starts_line is not True and ins.starts_line is not False:
            line = ins.starts_line
        elif getattr(ins, "line_number", None) is not None:
            line = ins.line_number
        if ins.opname in _SKIP:
            continue
        op = "LOAD_VAR" if ins.opname in _LOADS else "LOAD_ATTR" if ins.opname == "LOAD_METHOD" else ins.opname
        if ins.opcode in _JUMPS:
            # a synthetic jump (the back edge after `continue` in a loop) gets its line from
            # context, differently when the function is compiled alone: compare it without one
            out.append((op, None, None))
            continue
        elif isinstance(ins.argval, types.CodeType):
            arg = tuple(_fingerprint(ins.argval))
        elif ins.opname == "LOAD_CONST":
            arg = (type(ins.argval).__name__, repr(ins.argval))
        else:
            arg = ins.argval if isinstance(ins.argval, (str, int, tuple, type(None))) else repr(ins.argval)
        out.append((op, arg, line))
    return out
