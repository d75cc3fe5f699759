"""Forward mode and the derivatives built from it: `jvp`, `jacobian` (`jacfwd`, `jacrev`), `hvp`,
`hessian`, and derivatives of derivatives (`grad(grad(f))`).

Guarantees:
- `jvp(fn, primals, tangents)` runs one generated function (ad/forward.py, compiled once per
  argument signature): the value and the directional derivative along `tangents`, exact (the same
  rules as reverse mode), no dual numbers at run time;
- second order is a transform of generated code: the tangent function s2sgrad generates is plain
  Python inside the subset it accepts, so it is differentiated again like user code -- in reverse
  mode for `hvp`/`hessian` (reverse-over-forward: H v is the gradient of <grad f, v>, the JVP's
  tangent output), in forward mode again for higher orders; every level's source can be read
  (`hvp_source`, `derivative_source`);
- primals, tangents and `wrt` are read as a call of fn reads its arguments (forward_cache.bind_call):
  a bound method (`m.loss`) takes the arguments after its object, each tangent pairs with its own
  primal, and wrt positions count the object as `differentiate`'s do; a Jacobian or Hessian with
  respect to an object or container is refused, saying what to give instead;
- errors are S2SGradErrors at the user's line (a row without a forward rule names itself).
"""
from __future__ import annotations

import contextlib
import weakref
from typing import Any, Callable, Sequence, Union

import numpy as np

from . import runtime
from .api import Differentiated, _hide_internals, _make
from .errors import ArgumentError
# the forward compilations jvp, jacfwd and hessian run: forward_cache.py (re-exported for higher_grad)
from .forward_cache import _Forward, _forward, _wrt_of, bind_call, refuse_aux  # noqa: F401
from .passes.containers import tree_of
from .passes.shapes import abstract_of


def _user_errors(fn):
    def run(*a, **k):
        try:
            return fn(*a, **k)
        except Exception as e:
            e = at_user_line(e)
            if _hide_internals(e):
                raise e.with_traceback(None)
            raise
    run.__name__, run.__doc__, run.__wrapped__ = fn.__name__, fn.__doc__, fn
    return run


def at_user_line(e: BaseException) -> BaseException:
    """e, or for an S2SGradError found in s2sgrad's own generated code (second order differentiates
    the generated tangent code again) the same error at the user's line that code came from (through
    every level of generated code), the generated line quoted after the message."""
    from . import debug
    from .errors import NaNError, S2SGradError
    loc = getattr(e, "loc", None)
    if not isinstance(e, S2SGradError) or isinstance(e, NaNError) or loc is None:
        return e
    generated, user = None, loc
    while user is not None and user.file in debug._REGISTRY:
        site = debug._REGISTRY[user.file].lines.get(user.line)
        generated = generated or (site.generated if site is not None else user.text.strip())
        user = site.loc if site is not None else None
    if generated is None:
        return e
    msg = f"{e.message} [while differentiating s2sgrad's generated tangent code again, at: {generated}]"
    try:
        out = type(e)(msg, user)
    except TypeError:
        out = S2SGradError(msg, user)
    out.__cause__ = e.__cause__
    return out


@_user_errors
def jvp(fn: Callable, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple:
    """(fn(*primals), the derivative of fn at primals along tangents), like `jax.jvp`: one tangent per
    primal (None, or zeros, for an argument that is not floating)."""
    from .higher_grad import gradient_of, jvp_of_gradient
    d = gradient_of(fn, "jvp")
    if d is not None:  # the JVP of a gradient: a Hessian-vector product (higher_grad.py)
        return jvp_of_gradient(d, *bind_call(d, primals, "jvp", tangents))
    fw = _forward(fn)
    # a bound method's object and parameters left to their defaults: primals with the tangent None
    primals, tangents = bind_call(fw.d, primals, "jvp", tangents)
    # a list or tuple of Python floats given a tangent: an array, as differentiate takes it (boundary.py)
    numbers = [_float_sequence(a) and t is not None for a, t in zip(primals, tangents)]
    primals = tuple(np.asarray(a, dtype=float) if n else a for a, n in zip(primals, numbers))
    tangents = tuple(np.asarray(t, dtype=float) if n else t for t, n in zip(tangents, numbers))
    by_name = dict(zip(fw.d._params, tangents))
    wrt = _wrt_of(fw, primals, None)
    # an argument whose tangent is None has a symbolic zero one, not zeros: 0 * inf would be nan
    # where the function holds an infinity (soft-DTW's np.full(..., np.inf) divided by gamma)
    wrt = tuple(p for p in wrt if by_name.get(p) is not None) or wrt
    args, c = fw.compiled(primals, wrt)
    for p, a in zip(fw.d._params, primals):
        t = by_name.get(p)
        if p not in wrt and t is not None and _nonzero(t):
            raise ArgumentError(f"jvp: '{p}' is not floating ({type(a).__name__}"
                                f"{' of ' + str(a.dtype) if hasattr(a, 'dtype') else ''}), so it has no tangent: "
                                "pass None or zeros for it")
    dots = []
    for p, a in zip(fw.d._params, args):
        if p not in wrt:
            continue
        dots.append(_tangent_like(by_name[p], a, p))
    return c.jvp(*args, *dots)


def _float_sequence(a) -> bool:
    return isinstance(a, (list, tuple)) and bool(a) and not hasattr(type(a), "_fields") and \
        all(isinstance(x, (float, np.floating)) for x in a)


def _nonzero(t) -> bool:
    """Whether a tangent (an array, a number, or a container of them) has a nonzero entry (None, a
    symbolic zero, has none: {'class_weight': None} for an object without floating attributes)."""
    if t is None:
        return False
    if isinstance(t, dict):
        return any(_nonzero(v) for v in t.values())
    if isinstance(t, (list, tuple)):
        return any(_nonzero(v) for v in t)
    try:
        return bool(np.any(np.asarray(t, dtype=float) != 0))
    except (TypeError, ValueError):
        return True  # (not a number: a tangent where none can be)


def _tangent_like(t, a, where, who="jvp"):
    """The tangent given for primal a, checked to have its structure and shapes (None: zeros)."""
    from .passes.trees import _attribute_kept, _is_object
    if _is_object(a):  # an object's tangent (like its gradient): a dict keyed by attribute name
        a = {k: v for k, v in vars(a).items() if _attribute_kept(v)}
    if isinstance(a, dict):
        if t is None:
            t = {k: None for k in a}
        if not isinstance(t, dict) or list(t) != list(a):
            raise ArgumentError(f"{who}: the tangent of '{where}' must be a dict with the keys {list(a)}")
        return {k: _tangent_like(t[k], a[k], f"{where}[{k!r}]", who) for k in a}
    if isinstance(a, (list, tuple)) and tree_of(a) is not None:
        if t is None:
            t = [None] * len(a)
        if not isinstance(t, (list, tuple)) or len(t) != len(a):
            raise ArgumentError(f"{who}: the tangent of '{where}' must be a {type(a).__name__} of {len(a)} items")
        items = [_tangent_like(x, y, f"{where}[{i}]", who) for i, (x, y) in enumerate(zip(t, a))]
        return type(a)(*items) if hasattr(type(a), "_fields") else type(a)(items)  # (a named tuple: fields)
    if t is None:
        return np.zeros_like(a, dtype=float) if isinstance(a, np.ndarray) else 0.0
    if np.shape(t) != np.shape(a):
        raise ArgumentError(f"{who}: the tangent of '{where}' has shape {np.shape(t)}, its primal {np.shape(a)}")
    if isinstance(a, np.ndarray) and not isinstance(t, np.ndarray):  # (a number for a 0-d array: x[()] reads it)
        return np.asarray(t, dtype=a.dtype if a.dtype.kind == "f" else float)
    return t


def jvp_source(fn: Callable, *args: Any) -> str:
    """The generated forward-mode (tangent) code for these arguments' signature."""
    fw = _forward(fn)
    args = bind_call(fw.d, args, "jvp_source")
    return fw.compiled(args, _wrt_of(fw, args, None))[1].jvp_source


def jvp_source_for(d: Differentiated, signature) -> str:
    """The tangent code of d for an abstract signature (param -> abstract value; None: generic)."""
    from .compiler_forward import compile_jvp
    from .passes.shapes import UNKNOWN, Arr, PyNum
    if signature is None:
        signature = {p: UNKNOWN for p in d._params}
        wrt = tuple(d._params)
    else:
        wrt = tuple(p for p, v in signature.items() if (isinstance(v, PyNum) and v.type is float) or (
            isinstance(v, Arr) and v.dtype is not None and v.dtype.kind == "f"))
    return compile_jvp(d._parsed, wrt, dict(signature)).jvp_source


def _basis(x):
    """The unit tangents of x: arrays of x's shape (a 0-d array's too), floats for a number."""
    number = not isinstance(x, np.ndarray)
    x = np.asarray(x, dtype=float) if number else x
    n = x.size
    for j in range(n):
        e = np.zeros(n, dtype=x.dtype if x.dtype.kind == "f" else float)
        e[j] = 1.0
        yield float(e[0]) if number else e.reshape(x.shape)


def _same_draws(items, run, state=None):
    """[run(i) for i in items], numpy's global generator put back before each run to where it was
    (or to `state`), so that a function drawing random numbers sees in every row or column the draws
    one call of it sees (and leaves the generator where one call leaves it); the module-level names
    a function writes through `global` are put back likewise (runtime.put_back)."""
    state = np.random.get_state() if state is None else state
    out = []
    with _journal() as journal:
        for i in items:
            np.random.set_state(state)
            runtime.put_back(journal)
            out.append(run(i))
    return out


@contextlib.contextmanager
def _journal():
    """The module-level names generated code writes through `global` while it is open, with the
    values they had before (runtime.global_write): the journal open around a whole Jacobian or
    Hessian when there is one, so that each column starts where one call of the function starts."""
    if runtime._JOURNALS:  # (the whole Jacobian's, opened before its first run)
        yield runtime._JOURNALS[-1]
        return
    journal = {}
    runtime._JOURNALS.append(journal)
    try:
        yield journal
    finally:
        runtime._JOURNALS.remove(journal)


def jacobian(fn: Callable, wrt: Union[str, int] = 0, mode: str = "rev") -> Callable[..., np.ndarray]:
    """A callable giving the Jacobian of fn's output with respect to one argument, of shape
    output.shape + argument.shape: `mode="rev"` one pullback per output element, `mode="fwd"` one
    JVP per input element (each a run of the generated code compiled once per signature)."""
    if mode not in ("rev", "fwd"):
        raise ValueError(f"jacobian: mode must be 'rev' or 'fwd', not {mode!r}")

    @_user_errors
    def jac(*args: Any) -> np.ndarray:
        with _journal():  # (every row or column, and the value, from the module state one call starts at)
            return _jac(*args)

    def _jac(*args: Any) -> np.ndarray:
        from .higher_grad import gradient_of, jacobian_of_gradient
        entry = np.random.get_state()  # (every row or column sees the draws one call of fn sees)
        who = "jacfwd" if mode == "fwd" else "jacrev"
        d = gradient_of(fn, who)
        if d is not None:  # a block of the Hessian, by JVPs of the gradient (either mode)
            return jacobian_of_gradient(d, bind_call(d, args, who), wrt, entry)
        if mode == "fwd":
            fw = _forward(fn)
            args = bind_call(fw.d, args, who)  # (a bound method's object first: wrt positions count it)
            name = _wrt_of(fw, args, wrt)[0]
            _array_wrt(args[fw.d._params.index(name)], name, who)
            batched = fw.batched(args, name)
            if batched is not None:  # one generated call, the identity basis as a batch of tangents
                conv, c = batched
                x = np.asarray(conv[fw.d._params.index(name)])
                n = x.size
                eye = np.eye(n, dtype=x.dtype if x.dtype.kind == "f" else float).reshape((n,) + x.shape)
                np.random.set_state(entry)
                runtime.put_back(runtime._JOURNALS[-1])
                out = _floating(c.jvp(*conv, eye)[1])
                return np.moveaxis(out.reshape((n,) + out.shape[1:]), 0, -1).reshape(out.shape[1:] + x.shape)
            conv, c = fw.compiled(args, (name,))
            x = conv[fw.d._params.index(name)]
            cols = _same_draws(_basis(x), lambda e: _floating(c.jvp(*conv, e)[1]), entry)
            out_shape = cols[0].shape if cols else ()
            J = np.stack(cols, axis=-1) if cols else np.zeros(out_shape + (0,))
            return J.reshape(out_shape + np.shape(x))
        refuse_aux(fn, "jacobian")
        base = getattr(fn, "__wrapped_py__", fn)
        d = _make(base, wrt, "numpy", None)
        # the arguments as d's parameters (a bound method's object first): value, x and the rows all
        # read them by parameter, so none is paired with another's value
        args = bind_call(d, args, who)
        state = entry
        np.random.set_state(state)
        value = np.asarray(d.__wrapped_py__(*args))
        x = _array_wrt(_leaf(args, d._params, d.wrt[0]), d.wrt[0], who)
        if value.size > 1:
            rows = _same_draws([None], lambda _: _batched_pullback(d, args, value), state)[0]
            if rows is not None:  # one generated call: every row of J at once
                return rows.reshape(value.shape + np.shape(x))

        def row(i):
            seed = np.zeros(value.size)
            seed[i] = 1.0
            return _floating(d.grad(*args, seed=seed.reshape(value.shape) if value.shape else 1.0))
        if value.size == 0:  # (an empty output: an empty Jacobian, as jacfwd gives)
            return np.zeros(value.shape + np.shape(x))
        rows = _same_draws(range(value.size), row, state)
        return np.stack(rows).reshape(value.shape + np.shape(x))
    return jac


def _leaf(args, params, w):
    """The argument (bound to params) a wrt entry names: a parameter, or a path under one (a bound
    method's attribute: ('self', 'W'))."""
    if isinstance(w, str):
        return args[params.index(w)]
    x = args[params.index(w[0])]
    for k in w[1:]:
        x = x[k] if isinstance(x, (dict, list, tuple)) else getattr(x, k)
    return x


def _array_wrt(x, name, who):
    """x, when a Jacobian or Hessian can be taken with respect to it (an array or a number); an
    object, dict or list of arrays (a bound method's `self`) refused, saying what to give instead."""
    if tree_of(x) is None:
        return x
    if isinstance(name, tuple):
        name = ".".join(map(str, name))
    raise ArgumentError(f"{who} with respect to '{name}', a {type(x).__name__}: give wrt= an array or number argument"
                        + (", or use hvp with a v of the same structure" if who == "hessian" else
                           " (a vjp or jvp takes one of its structure)"))


def _batched_pullback(d, args, value):
    """All rows of a Jacobian from one call: the generated vector-Jacobian product is linear in its
    seed, so its batched forward mode with respect to the seed, given the identity basis, returns
    vjp(e_i) for every i at once.  None when that code cannot carry a batch axis (records of loops,
    run-time helpers: ad/batching.py) -- then one pullback per output element."""
    from .ad.batching import NotBatchable
    from .compiler import _exec, shown_source
    from .compiler_forward import compile_jvp
    from .errors import S2SGradError
    from .frontend import parse_function
    from .ir import Function, Return
    from .passes.optimize import eliminate_dead
    from .runtime import NAMESPACE
    c = d.compiled_for(*args)
    cache = c.__dict__.setdefault("batched_pullback", {})  # kept with the signature's compiled code
    if "fn" not in cache:
        cache["fn"] = None
        fir = c.value_and_grad_ir
        if fir is not None and fir.defaults and len(d.wrt) == 1:
            seed = fir.defaults[-1][0]
            pull = eliminate_dead(Function(f"{fir.name}_pullback", fir.params + (seed,),
                                           fir.body[:-1] + (Return(fir.body[-1].value.elts[1]),), (), fir.header,
                                           fir.loc))
            ns = dict(NAMESPACE)
            ns.update(d._parsed.captured)
            pull_shown, pull_src, pull_ns = shown_source(pull, ns)
            py = _exec(pull_src, pull_shown, pull_ns, d._parsed)
            conv, _ = d._boundary.prepare(args)
            abstract = {p: abstract_of(a) for p, a in zip(pull.params, tuple(conv) + (value,))}
            try:
                cache["fn"] = compile_jvp(parse_function(py), (seed,), abstract, batched=True).jvp
            except (NotBatchable, S2SGradError) as e:
                cache["why"] = str(e).splitlines()[0]  # why the rows are computed one at a time
    if cache["fn"] is None:
        return None
    conv, _ = d._boundary.prepare(args)
    eye = np.eye(value.size, dtype=value.dtype if value.dtype.kind == "f" else float).reshape((value.size,) + value.shape)
    return _floating(cache["fn"](*conv, np.zeros_like(eye[0]), eye)[1])


def jacfwd(fn: Callable, wrt: Union[str, int] = 0) -> Callable[..., np.ndarray]:
    return jacobian(fn, wrt, mode="fwd")


def jacrev(fn: Callable, wrt: Union[str, int] = 0) -> Callable[..., np.ndarray]:
    return jacobian(fn, wrt, mode="rev")


# ------------------------------------------------------------------------------ second order
class _Hvp:
    """H v for one function and argument: the generated tangent function (output <grad f, v>),
    differentiated in reverse mode with respect to the same argument."""

    def __init__(self, fn, wrt):
        self.fw, self.wrt = _forward(fn), wrt
        self.grads: dict = {}

    def tangent_fn(self, args):
        """(the parameter, the arguments bound to the parameters, the forward compilation)."""
        fw = self.fw
        args = bind_call(fw.d, args, "hvp")  # (a bound method's object first: wrt positions count it)
        name = _wrt_of(fw, args, self.wrt)[0]
        conv, c = fw.compiled(args, (name,))
        return name, conv, c

    def __call__(self, args, v):
        """H v at the arguments as the user gives them (bound by tangent_fn)."""
        name, conv, c = self.tangent_fn(args)
        d = self.grads.get(id(c))
        if d is None:
            d = self.grads[id(c)] = (c, _make(c.tangent_only, name, "numpy", None))
        x = conv[self.fw.d._params.index(name)]
        if v is None:
            raise ArgumentError(f"hvp: v is None (give a direction shaped like the argument '{name}')")
        # (leaf by leaf for a dict or list argument: a leaf of another shape would broadcast)
        tree = isinstance(x, (dict, list, tuple))
        v = _tangent_like(v, x, name, "hvp") if tree else v
        if not tree and np.shape(v) != np.shape(x):
            raise ArgumentError(f"hvp: v has shape {np.shape(v)}, the argument '{name}' {np.shape(x)}")
        return d[1].grad(*conv, v)


def hvp(fn: Callable, primals: Sequence[Any], v: Any, wrt: Union[str, int] = 0) -> Any:
    """The Hessian of a scalar fn with respect to one argument (the first by default), times v."""
    try:
        from .higher_grad import gradient_of
        gradient_of(fn, "hvp")  # (refused for a gradient: a third derivative)
        return _hvp_of(fn, wrt)(tuple(primals), v)
    except Exception as e:
        e = at_user_line(e)
        if _hide_internals(e):
            raise e.with_traceback(None)
        raise


_HVPS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _hvp_of(fn, wrt):
    refuse_aux(fn, "hvp")
    base = fn if isinstance(fn, Differentiated) else getattr(fn, "__wrapped_py__", fn)
    per = _HVPS.setdefault(base, {})
    if wrt not in per:
        per[wrt] = _Hvp(fn, wrt)
    return per[wrt]


def hvp_source(fn: Callable, *args: Any, wrt: Union[str, int] = 0) -> str:
    """The generated second-order code: the reverse-mode gradient of the tangent function."""
    h = _hvp_of(fn, wrt)
    name, conv, c = h.tangent_fn(args)
    d = _make(c.tangent_only, name, "numpy", None)
    x = conv[h.fw.d._params.index(name)]
    return d.compiled_for(*conv, np.zeros_like(x) if isinstance(x, np.ndarray) else 0.0).value_and_grad_source


def _floating(a) -> np.ndarray:
    """A Jacobian's block in its own floating dtype (float32 arguments and outputs: a float32
    Jacobian, as JAX gives), anything else as float64."""
    a = np.asarray(a)
    return a if a.dtype.kind in "fc" else a.astype(float)


def hessian(fn: Callable, wrt: Union[str, int] = 0) -> Callable[..., np.ndarray]:
    """A callable giving the Hessian of a scalar fn with respect to one argument, of shape
    x.shape + x.shape: one Hessian-vector product per element of x (the code compiled once)."""
    @_user_errors
    def hess(*args: Any) -> np.ndarray:
        with _journal():  # (every column from the module state one call starts at)
            return _hess(*args)

    def _hess(*args: Any) -> np.ndarray:
        from .higher_grad import gradient_of
        entry = np.random.get_state()  # (every column sees the draws one call of fn sees)
        gradient_of(fn, "hessian")  # (refused for a gradient: a third derivative)
        h = _hvp_of(fn, wrt)
        name, conv, _ = h.tangent_fn(args)
        x = _array_wrt(conv[h.fw.d._params.index(name)], name, "hessian")
        cols = _same_draws(_basis(x), lambda e: _floating(h(args, e)), entry)
        H = np.stack(cols, axis=-1) if cols else np.zeros((0, 0))
        return H.reshape(np.shape(x) + np.shape(x))
    return hess



# ------------------------------------------------------------------------------ grad of grad
class Derivative:
    """`grad(grad(f))`, any depth: the derivative of a scalar f with respect to `params[-1]` of its
    derivative with respect to `params[-2]` ... of `params[0]` (the innermost grad's).  Each inner
    level is a forward-mode transform of the previous level's generated tangent function (tangent
    1: those parameters must be scalars, so that each level is a scalar function), the outermost a
    reverse-mode gradient (its parameter may be an array); `source(*args)` prints that last level's
    generated code."""

    def __init__(self, d: Differentiated, params):
        self.d, self.params = d, tuple(params)

    def _last(self, args):
        fn, args = self.d.__wrapped_py__, tuple(args)
        if len(args) < self.d._nparams:
            args = self.d._bind(args, {})
        for p in self.params[:-1]:
            x = args[self.d._params.index(p)]
            if np.ndim(x) != 0:
                raise ArgumentError(f"grad of grad: '{p}' has shape {np.shape(x)}, so the gradient with respect to it "
                                    "is not scalar; use s2sgrad.hessian(f) (or hvp) for an array argument")
            fw = _forward(fn)
            args, c = fw.compiled(args, (p,))
            fn, args = c.tangent_only, tuple(args) + (1.0,)
        return _make(fn, self.params[-1], "numpy", None), args

    @_user_errors
    def __call__(self, *args: Any) -> Any:
        d, args = self._last(args)
        return d.grad(*args)

    def source(self, *args: Any) -> str:
        d, args = self._last(args)
        return d.compiled_for(*args).value_and_grad_source


def derivative_of(fn, wrt=None) -> Union[Derivative, None]:
    """grad(fn, wrt) for fn a gradient already (`s2sgrad.grad(f)` or `f.grad`): the next derivative,
    with respect to `wrt` (default: the first parameter, as for any grad)."""
    if isinstance(fn, Derivative):
        d, inner = fn.d, fn.params
    else:
        d = getattr(fn, "__self__", None)
        if not (isinstance(d, Differentiated) and getattr(fn, "__func__", None) is Differentiated.grad):
            return None
        if len(d.wrt) != 1 or not isinstance(d.wrt[0], str):
            raise ArgumentError("grad of grad: the inner grad must be with respect to one parameter")
        inner = (d.wrt[0],)
    if wrt is None:
        outer = d._params[0]
    elif isinstance(wrt, int):
        outer = d._params[wrt]
    elif isinstance(wrt, str) and wrt in d._params:
        outer = wrt
    else:
        raise ArgumentError(f"grad of grad: wrt={wrt!r} must name one parameter of {d.__wrapped_py__.__qualname__}")
    return Derivative(d, inner + (outer,))
