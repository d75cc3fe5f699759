"""Comprehensions that make functions or objects of a class of yours, written out when compiling
(frontend/function_comps.py);
a dict of run-time lists kept as a training history (passes/dict_scalars.py); np.column_stack of a
list built at run time (ad/lists.py).  Checked against Python and central differences along random
directions, forward mode against reverse; the refusals by their messages."""
import numpy as np
import pytest

from s2sgrad import UnsupportedSyntaxError, differentiate, jvp

X = np.array([0.3, -0.7, 1.1, 0.4])
CENTRES = np.linspace(-1.0, 1.0, 4)
WIDTHS = (0.5, 1.0, 2.0)
CONFIG = {"l2": 0.05, "smooth": 0.5}


def make_penalty(kind, strength):
    scale = strength * (2.0 if kind == "l2" else 1.0)
    return lambda w: scale * np.sum((w if kind == "l2" else np.diff(w)) ** 2)


def module_array(x):
    # z36's pattern: each lambda binds its centre with a default; the width is read when called
    width = np.exp(x[0])
    basis = [lambda t, c=c: np.exp(-((t - c) / width) ** 2) for c in CENTRES]
    return np.sum(np.column_stack([phi(x) for phi in basis] + [np.ones_like(x)]) ** 2)


def enumerate_tuple(x):
    moments = [lambda w, c=c, k=k: c * np.sum(w ** (2 * (k + 1))) for k, c in enumerate(WIDTHS)]
    return sum(p(x) for p in moments)


def range_of_a_module_len(x):
    fs = [lambda t, k=k: np.sum(np.tanh(WIDTHS[k] * t)) for k in range(len(WIDTHS))]
    return fs[0](x) + 2.0 * fs[-1](x)


def zip_and_range(x):
    fs = [lambda t, a=a, b=b: np.sum(np.tanh(a * t + b)) for a, b in zip(range(1, 4), (0.1, -0.2, 0.3))]
    return fs[0](x) * fs[2](x) + fs[1](x)


def dict_of_factories(x):
    named = {name: make_penalty(name, s) for name, s in CONFIG.items()}
    return named["l2"](x) + named["smooth"](x) + np.sum(x ** 3)


def make_branching_penalty(kind, strength):
    if kind == "l2":
        return lambda w: strength * np.sum(w ** 2)
    if kind == "smooth":
        return lambda w: strength * np.sum(np.diff(w) ** 2)
    return lambda w: strength * np.sum(np.sqrt(w ** 2 + 1e-3))


def dict_of_branching_factories(x):
    # m21's factory: each unrolled call gives the kind as a constant, which decides its if
    named = {name: make_branching_penalty(name, s) for name, s in (("l2", 0.05), ("smooth", 0.5), ("l1", 0.02))}
    return named["l2"](x) + named["smooth"](x) + named["l1"](x)


ACTIVATIONS = ("tanh", "relu", "scaled")


def relu(z):
    return np.maximum(z, 0.0)


def get_activation(name):
    if name == "relu":
        return relu
    elif name == "tanh":
        return np.tanh
    return lambda z: 2.0 * z


def activations_by_name(x):
    # a factory choosing by each name of a module-level tuple (the items NAMES[k], known when compiling)
    h = x
    for act in [get_activation(n) for n in ACTIVATIONS]:
        h = act(h) + 0.1
    return np.sum(h ** 2)


def history_dict(x):
    history = {"train": [], "norm": []}
    w = x * 1.0
    for _ in range(4):
        w = w - 0.1 * np.sin(w) * np.sum(w)
        history["train"].append(np.sum(w ** 2))
        history["norm"].append(np.linalg.norm(w))
    return np.mean(history["train"]) + history["norm"][-1] * history["norm"][0]


def column_stack_mixed(x):
    cols = []
    for k in range(3):
        cols.append(np.sin(x * (k + 1)))
    cols.append(np.outer(x, x[:2]))
    return np.sum(np.column_stack(cols) * np.arange(1.0, 6.0))


class Dense:
    def __init__(self, W, b, scale=1.0):
        self.W = W
        self.b = b
        self.scale = scale

    def __call__(self, h):
        return np.tanh(self.scale * (h * self.W + self.b))


def layers_made_in_a_comprehension(x):
    # objects of a class of yours made by a comprehension: written out as the list they make
    layers = [Dense(x[k], x[k + 1], scale) for k, scale in enumerate(WIDTHS)]
    h = np.linspace(-1.0, 1.0, 5)
    for layer in layers:
        h = layer(h)
    return np.sum(h ** 2) + sum(layer.scale * layer.W for layer in [Dense(x[c], 0.0) for c in range(2)])


CASES = [module_array, enumerate_tuple, range_of_a_module_len, activations_by_name, zip_and_range, dict_of_factories, dict_of_branching_factories, history_dict,
         column_stack_mixed,
         layers_made_in_a_comprehension]


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_reverse_against_differences(fn):
    value, grad = differentiate(fn).value_and_grad(X.copy())
    assert value == pytest.approx(fn(X.copy()), rel=1e-12)
    rng = np.random.default_rng(5)
    eps = 1e-6
    for _ in range(3):
        v = rng.standard_normal(X.shape)
        fd = (fn(X + eps * v) - fn(X - eps * v)) / (2 * eps)
        assert np.dot(grad, v) == pytest.approx(fd, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__)
def test_forward_against_reverse(fn):
    grad = differentiate(fn).grad(X.copy())
    v = np.random.default_rng(6).standard_normal(X.shape)
    value, tangent = jvp(fn, (X.copy(),), (v,))
    assert tangent == pytest.approx(np.dot(grad, v), rel=1e-10, abs=1e-12)


def late_binding(x):
    fs = [lambda t: np.sum(t * c) for c in WIDTHS]  # Python: every lambda reads c = 2.0
    return fs[0](x)


def unknown_length(x, coeffs):
    fs = [lambda t, c=c: np.sum(t * c) for c in coeffs]
    return fs[0](x)


def with_a_filter(x):
    fs = [lambda t, c=c: np.sum(t * c) for c in WIDTHS if c > 0.7]
    return fs[0](x)


def objects_over_a_run_time_array(x):
    layers = [Dense(c, 0.0) for c in x[:2]]  # (x[:2]'s length is known only when running)
    return sum(layer.W for layer in layers)


class Poke:
    def __init__(self, arr, v):
        arr[1] = 5.0  # (changes what a later item reads: Python read the items before)
        self.v = v

    def f(self, x):
        return self.v * x


def items_computed_here(x):
    y = x * 1.0
    ps = [Poke(y, v) for v in (y[0], y[1])]
    return np.sum(ps[1].f(x)) + np.sum(y)


def inner_comprehension_captures(x):
    a = np.sum(x)
    fs = [lambda t, c=sum(k * a for a in (1.0, 2.0)): c * np.sum(t) for k in (a, 2.0)]
    return fs[0](x) + fs[1](x)


def factory_calls_over_computed_items(x):
    ps = [make_penalty("l2", s) for s in (x[0], x[1])]
    return ps[0](x) + ps[1](x)


@pytest.mark.parametrize("fn, args, message", [
    (late_binding, (), "reads 'c', the comprehension's name, when it is called"),
    (items_computed_here, (), "this write into 'y' would also change"),
    (inner_comprehension_captures, (), "another comprehension inside its items"),
    (factory_calls_over_computed_items, (), "made by calls over items computed in the function"),
    (objects_over_a_run_time_array, (), "an object of 'Dense' appended to a list"),
    (unknown_length, ([1.0, 2.0],), "whose length s2sgrad cannot know when compiling"),
    (with_a_filter, (), "more than one `for` or an `if`"),
], ids=["late_binding", "items_computed_here", "inner_comprehension_captures", "factory_calls_over_computed_items",
        "objects_over_a_run_time_array", "unknown_length", "with_a_filter"])
def test_refused_with_what_to_write(fn, args, message):
    with pytest.raises(UnsupportedSyntaxError, match=message):
        differentiate(fn).value_and_grad(X.copy(), *args)


def test_a_changed_module_sequence_compiles_again():
    d = differentiate(enumerate_tuple)
    first = d.value_and_grad(X.copy())[0]
    global WIDTHS
    saved, WIDTHS = WIDTHS, (0.5, 1.0)
    try:
        assert d.value_and_grad(X.copy())[0] == pytest.approx(enumerate_tuple(X.copy()))
        assert enumerate_tuple(X.copy()) != pytest.approx(first)
    finally:
        WIDTHS = saved
