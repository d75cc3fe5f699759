"""Gradient checking: central finite differences along random directions, in float64.

`check_grads(f, args, wrt)` compares s2sgrad's gradient with `(f(x + eps*d) - f(x - eps*d)) / 2eps`
for a few random directions d (the directional derivative must equal <grad, d>).  It is meant to
catch s2sgrad lying, so it fails (AssertionError naming the numbers) on any of:
- a value, gradient or finite difference that is NaN or infinite (a comparison with NaN never
  fails, so it is checked first; inputs outside the function's domain are reported as such);
- the value `value_and_grad` returns differing from the plain function's value;
- a gradient whose shape is not its argument's;
- any of the generated variants (`value_and_grad`, `grad`, and the seeded one behind `seed=`)
  disagreeing with the finite differences.
A non-scalar output is checked through a random seed (the vector-Jacobian product <seed, f>).
Container arguments (dicts, lists, tuples, objects of user classes) and bound methods (`m.loss`,
whose object is checked as the argument `self`) are checked leaf by leaf: a random direction per
floating leaf, the arguments rebuilt with every leaf moved, <gradient, direction> summed.
"""
from __future__ import annotations

import types
from typing import Any, Callable, Sequence, Union

import numpy as np


def _remade(a, items):
    """A sequence of a's type holding items (a named tuple takes them as its fields)."""
    return type(a)(*items) if hasattr(type(a), "_fields") else type(a)(items)


def _as_float64(a, top=True):
    """a with its floating arrays in float64, inside containers and objects too (finite differences
    in float32 are noise): a container is rebuilt (an object copied) only where a leaf changed."""
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        # inside a container a float64 leaf stays the same object, so the container is not copied
        # (two arguments that are one object stay one: `l is m` in the function sees it)
        return a.astype(np.float64, copy=top)
    if isinstance(a, np.floating) and a.dtype != np.float64:  # np.float32(1.5): a number in float32 too
        return np.float64(a)
    if isinstance(a, np.ndarray) or not _is_tree(a, top):
        return a
    kids = [(k, v, _as_float64(v, False)) for k, v in _children(a)]
    if all(new is old for _, old, new in kids):
        return a
    from .passes.containers import _is_object
    if _is_object(a):
        import copy
        out = copy.copy(a)
        for k, _, v in kids:
            object.__setattr__(out, k, v)  # (a frozen dataclass refuses setattr)
        return out
    if isinstance(a, dict):
        return {k: v for k, _, v in kids}
    return _remade(a, [v for _, _, v in kids])


def directional_fd(fn, args, names, directions, eps=1e-6, seed_vec=None):
    """Central difference of <seed, f> along `directions` (a dict name -> perturbation; for a
    container argument, a perturbation of the same structure, see `_leaf_paths`)."""
    def shifted(sign):
        new = list(args)
        for i, n in enumerate(names):
            if n in directions:
                new[i] = _shift(args[i], directions[n], sign * eps, top=True)
        out = fn(*new)
        return np.sum(np.asarray(out) * seed_vec) if seed_vec is not None else out
    return (shifted(+1) - shifted(-1)) / (2 * eps)


# ------------------------------------------------------------------ container arguments (pytrees)
# A container argument (a dict, list or tuple holding arrays, or an object whose attributes hold
# them) is checked leaf by leaf: a random direction per floating leaf, the argument rebuilt with
# every leaf moved, and <gradient, direction> summed over the leaves.  The structure walked is
# the one s2sgrad flattens (passes/containers.tree_of): an object's gradient is a dict of its
# attributes' gradients; a top-level list or tuple of plain numbers is the array it holds.

def _is_tree(a, top):
    from .passes.containers import tree_of
    if isinstance(a, (list, tuple)) and not top:
        return bool(a)  # inside a container a tuple of floats is a container of leaves
    return tree_of(a) is not None


def _children(a):
    from .passes.containers import _attribute_kept, _is_object
    if _is_object(a):
        return [(k, v) for k, v in vars(a).items() if _attribute_kept(v)]
    if isinstance(a, dict):
        return list(a.items())
    return list(enumerate(a))


def _leaf_paths(a, top=True, path=()):
    """(path, leaf) for every floating leaf of an argument (path () for an array or number)."""
    from .passes.containers import is_floating_value
    if _is_tree(a, top):
        out = []
        for k, v in _children(a):
            out += _leaf_paths(v, False, path + (k,))
        return out
    if isinstance(a, (list, tuple)):
        a = np.asarray(a, dtype=np.float64)
    return [(path, a)] if is_floating_value(a) else []


def _random_direction(a, top=True, rng=None):
    """A perturbation of a's floating leaves: {path: array or float}."""
    return {p: rng.standard_normal(np.shape(x)) if np.ndim(x) else float(rng.standard_normal())
            for p, x in _leaf_paths(a, top)}


def _wrt_subtree(every, names, w):
    """(the value a wrt entry names, whether it is a whole argument): a parameter name, or a path
    under one (("self", "W1") for a bound method's attribute)."""
    root, sub = (w, ()) if isinstance(w, str) else (w[0], tuple(w[1:]))
    a = every[names.index(root)]
    for k in sub:
        a = a[k] if isinstance(a, (dict, list, tuple)) else getattr(a, k)
    return a, not sub


def _by_root(dirs):
    """Directions per wrt entry as directions per argument (paths under the argument)."""
    out = {}
    for w, d in dirs.items():
        root, sub = (w, ()) if isinstance(w, str) else (w[0], tuple(w[1:]))
        out.setdefault(root, {}).update({sub + p: v for p, v in d.items()})
    return out


def _label(w):
    return w if isinstance(w, str) else ".".join(map(str, w))


def _shift(a, direction, step, top=False, path=()):
    """a with every floating leaf at path p moved by step * direction[p] (containers rebuilt, the
    argument itself unchanged; an object is copied with copy.copy)."""
    if _is_tree(a, top):
        import copy
        from .passes.containers import _is_object
        moved = {k: _shift(v, direction, step, False, path + (k,)) for k, v in _children(a)}
        if _is_object(a):
            new = copy.copy(a)
            for k, v in moved.items():
                object.__setattr__(new, k, v)  # the copy's attribute, even of a frozen dataclass
            return new
        if isinstance(a, dict):
            return {k: moved.get(k, v) for k, v in a.items()}
        return _remade(a, [moved[i] for i in range(len(a))])
    if path not in direction:
        return a
    if isinstance(a, (list, tuple)):
        a = np.asarray(a, dtype=np.float64)
    moved = a + step * direction[path]
    # a 0-d array plus a number is a numpy scalar: keep it an array (the function may write into
    # it, `a[()] = ...`, as it may into the argument itself)
    return np.asarray(moved) if isinstance(a, np.ndarray) else moved


def _tangent_tree(a, direction, top=True, path=()):
    """jvp's tangent for argument a: direction[p] at each floating leaf p (zeros where it has none,
    None for a leaf that is not floating), in the gradient's structure (an object: a dict)."""
    from .passes.containers import is_floating_value
    if _is_tree(a, top):
        kids = [(k, _tangent_tree(v, direction, False, path + (k,))) for k, v in _children(a)]
        if isinstance(a, (list, tuple)):
            return _remade(a, [v for _, v in kids])
        return dict(kids)
    if path in direction:
        return direction[path]
    if not is_floating_value(a):
        return None
    return np.zeros_like(a) if np.ndim(a) else 0.0


def _grad_at(g, path):
    """The gradient's entry for a leaf path (an object's gradient is a dict keyed by attribute)."""
    for k in path:
        g = g[k]
    return g


def _dot(g, direction):
    """<gradient, direction> over the leaves of one argument."""
    return sum(float(np.sum(np.asarray(_grad_at(g, p)) * d)) for p, d in direction.items())


def _finite(x):
    try:
        return bool(np.all(np.isfinite(np.asarray(x, dtype=np.float64))))
    except (TypeError, ValueError):
        return True  # not numeric (None, a tuple of mixed things): nothing to check here


def _as_tuple(f, grads):
    if len(f.wrt) == 1 and not (f._single is False and isinstance(grads, tuple)):
        return (grads,)
    return tuple(grads)


def check_grads(f: Callable[..., Any], args: Sequence[Any], wrt: Union[None, str, Sequence[str]] = None, *,
                directions: int = 3, rtol: float = 1e-6, atol: float = 1e-8, eps: float = 1e-6, seed: int = 0,
                grad_seed: Any = None, value_rtol: float = 1e-9) -> float:
    """Check f's value and gradients against the plain function and finite differences.

    `f` is a differentiated function (or a plain function, which is differentiated here); `args`
    are used as given (floating arrays in float64).  `grad_seed` is the cotangent for a non-scalar
    output (random when not given).  Forward mode (s2sgrad.jvp) is checked along the same directions
    against the gradient (the dot-product test), where it takes the function.  Raises AssertionError
    with the numbers on any mismatch or non-finite number; returns the largest relative error seen."""
    return _check_grads(f, args, wrt, directions=directions, rtol=rtol, atol=atol, eps=eps, seed=seed,
                        grad_seed=grad_seed, value_rtol=value_rtol)


def _check_grads(f, args, wrt, *, directions, rtol, atol, eps, seed, grad_seed, value_rtol):
    from .api import Differentiated, differentiate
    LAST_FORWARD_CHECK["result"] = None
    bound = getattr(f, "_bound_self", None)  # differentiate(model.loss): self is checked as an argument
    if not isinstance(f, Differentiated) or (wrt is not None and tuple(np.atleast_1d(wrt)) != f.wrt):
        py = getattr(f, "__wrapped_py__", f)
        f = differentiate(py if bound is None else types.MethodType(py, bound), wrt=wrt)
    bound = f._bound_self  # a bound method given as it is (m.loss) is differentiated with its object
    import inspect
    qual = f.__wrapped_py__.__qualname__
    names = list(inspect.signature(f.__wrapped_py__).parameters)
    args = [_as_float64(a) for a in args]
    every = ([bound] if bound is not None else []) + args  # one per name in `names`
    rng = np.random.default_rng(seed)

    draws = np.random.get_state()  # forward mode below runs the function with these same draws
    plain = f.__wrapped_py__(*every)
    if not _finite(plain):
        raise AssertionError(f"{qual} itself returns a non-finite value at these inputs ({_short(plain)}): "
                             "choose inputs inside its domain")
    scalar = np.ndim(plain) == 0
    if grad_seed is None and not scalar:
        grad_seed = rng.standard_normal(np.shape(plain))

    variants = []  # (label, value or None, grads)
    if grad_seed is None:
        value, grads = f.value_and_grad(*args)
        variants.append(("value_and_grad", value, grads))
        variants.append(("grad", None, f.grad(*args)))
        variants.append(("value_and_grad(seed=1.0)", *f.value_and_grad(*args, seed=1.0)))
    else:
        variants.append(("value_and_grad(seed=...)", *f.value_and_grad(*args, seed=grad_seed)))
        variants.append(("grad(seed=...)", None, f.grad(*args, seed=grad_seed)))

    for label, value, grads in variants:
        if value is not None:
            if not _finite(value):
                raise AssertionError(f"{qual}: {label} returns a non-finite value {_short(value)} where the "
                                     f"function gives {_short(plain)}")
            if np.shape(value) != np.shape(plain) or not np.allclose(value, plain, rtol=value_rtol, atol=0):
                raise AssertionError(f"value mismatch for {qual}: {label} returns {_short(value)}, the function "
                                     f"returns {_short(plain)}")
        grads = _as_tuple(f, grads)
        for n, g in zip(f.wrt, grads):
            for path, leaf in _leaf_paths(*_wrt_subtree(every, names, n)):
                what = _label(n) + "".join(f"[{k!r}]" for k in path)
                try:
                    gl = _grad_at(g, path)
                except (KeyError, IndexError, TypeError):
                    raise AssertionError(f"gradient structure mismatch for {qual}: {label} gives d/d{n} = "
                                         f"{_short(g)}, with no entry for {what}") from None
                if np.shape(gl) != np.shape(leaf):
                    raise AssertionError(f"gradient shape mismatch for {qual}: {label} gives d/d{what} of shape "
                                         f"{np.shape(gl)}, but {what} has shape {np.shape(leaf)}")
                if not _finite(gl):
                    raise AssertionError(f"non-finite gradient for {qual}: {label} gives d/d{what} = {_short(gl)}")

    worst = 0.0
    for _ in range(directions):
        dirs = {}
        for n in f.wrt:
            dirs[n] = _random_direction(*_wrt_subtree(every, names, n), rng=rng)
        fd = directional_fd(f.__wrapped_py__, every, names, _by_root(dirs), eps, grad_seed)
        if not _finite(fd):
            raise AssertionError(f"finite differences of {qual} are not finite ({fd!r}): the function is not "
                                 "differentiable (or not defined) around these inputs")
        for label, _, grads in variants:
            grads = _as_tuple(f, grads)
            ad = sum(_dot(g, dirs[n]) for n, g in zip(f.wrt, grads))
            err = abs(fd - ad) / max(abs(fd), abs(ad), 1e-12)
            worst = max(worst, err)
            if abs(fd - ad) > atol + rtol * max(abs(fd), abs(ad)):
                fd2 = directional_fd(f.__wrapped_py__, every, names, _by_root(dirs), eps / 10, grad_seed)
                note = ""
                if abs(fd2 - fd) > 0.5 * max(abs(fd), abs(fd2)):
                    note = (f"; finite differences do not settle as the step shrinks ({float(fd):.6g} with "
                            f"eps={eps:g}, {float(fd2):.6g} with eps={eps / 10:g}): the function has a jump or kink "
                            "right at these inputs, where no derivative exists; check at a point away from it")
                raise AssertionError(f"gradient mismatch for {qual} ({label}): finite differences {float(fd)!r}, "
                                     f"s2sgrad {ad!r} (relative error {err:.3g}){note}")
        _check_forward(f, every, names, dirs, grad_seed, plain, variants[0][2], draws, qual)
    return worst


def _check_forward(f, args, names, dirs, grad_seed, plain, grads, draws, qual):
    """Forward mode against reverse mode along the same direction (the dot-product test:
    <seed, J v> == <J^T seed, v>), where forward mode takes the function (arrays and numbers only;
    a refusal in forward mode is not a failure of the gradient checked here)."""
    from .api import Differentiated
    from .errors import S2SGradError
    from .higher import jvp
    if f.backend != "numpy" or f.has_aux or not isinstance(f, Differentiated) or \
            not all(isinstance(n, str) for n in f.wrt):
        return
    if any(isinstance(a, (list, tuple)) and not _is_tree(a, True) for a in args):
        return  # a list of numbers differentiated as an array: no tangent structure to give
    tangents = [_tangent_tree(a, dirs.get(n, {})) for n, a in zip(names, args)]
    np.random.set_state(draws)
    try:
        value, tangent = jvp(f.__wrapped_py__, args, tangents)
    except S2SGradError as e:
        LAST_FORWARD_CHECK["result"] = "refused: " + str(e).splitlines()[0].split(": ", 1)[-1]
        return
    if np.shape(value) != np.shape(plain) or not np.allclose(value, plain, rtol=1e-12, atol=0, equal_nan=True):
        raise AssertionError(f"forward mode of {qual} returns the value {_short(value)}, the function {_short(plain)}")
    fwd = float(np.sum(np.asarray(tangent) * (1.0 if grad_seed is None else grad_seed)))
    rev = sum(_dot(g, dirs[n]) for n, g in zip(f.wrt, _as_tuple(f, grads)))
    if abs(fwd - rev) > 1e-12 + 1e-9 * max(abs(fwd), abs(rev)):
        raise AssertionError(f"forward and reverse mode disagree for {qual}: <seed, J v> = {fwd!r} by jvp, "
                             f"<J^T seed, v> = {rev!r} by the gradient")
    LAST_FORWARD_CHECK["result"] = "agrees"


# what the last check_grads learned of forward mode ("agrees", "refused: ...", or None: not run),
# for `s2sgrad check`'s report
LAST_FORWARD_CHECK: dict = {"result": None}


def _short(x):
    """A number or small array as plain digits; a large one by its shape and non-finite count."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return repr(x)
    if a.ndim == 0:
        return repr(float(a))
    if a.size <= 6:
        return np.array2string(a, precision=10, separator=", ")
    return f"array of shape {a.shape} ({int(np.sum(~np.isfinite(a)))} non-finite)"


class _CountingList(list):
    """A record stack that counts what is pushed on it."""

    def __init__(self, name, counts):
        super().__init__()
        self._name, self._counts = name, counts

    def append(self, v):
        self._counts[self._name] = self._counts.get(self._name, 0) + 1
        super().append(v)


def record_counts(f, *args, seed=None):
    """Run f's generated value-and-gradient code with instrumented record stacks.

    Returns {stack name: values pushed} (stacks never pushed to are reported as 0): the test hook
    that shows the tape is minimal."""
    import re
    from .runtime import NAMESPACE
    compiled = f.compiled_for(*args)
    src = compiled.seeded_source
    counts = {}
    stacks = re.findall(r"^    (\w+) = \[\]$", src, flags=re.M)
    for name in stacks:
        counts[name] = 0
        src = src.replace(f"    {name} = []\n", f"    {name} = _CountingList({name!r}, _counts)\n", 1)
    ns = dict(NAMESPACE)
    ns.update(f._parsed.captured)
    ns.update(_CountingList=_CountingList, _counts=counts)
    exec(compile(src, "<s2sgrad instrumented>", "exec"), ns)
    fn = ns[next(n for n in ns if n.startswith(f"{f._parsed.ir.name}_value_and_"))]
    fn(*args) if seed is None else fn(*args, seed)
    return counts
