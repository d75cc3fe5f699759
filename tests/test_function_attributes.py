"""Functions held by objects: `Dense(W, b, act=np.tanh)` and `self.act(h)` in its methods
(passes/trees.function_attribute, passes/objects._functions_held, frontend/held_functions.init_function),
for objects passed in and objects made in the function; and the class a helper's first parameter
is read with (frontend/lower.parse_callee: only `self`'s, never the caller's for another object).
Gradients against central differences (check_grads, which checks forward mode too) and Python's
values; what is not supported is refused."""
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest

from s2sgrad import S2SGradError, differentiate, hvp
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(3)
W = RNG.standard_normal((3, 3))
B = RNG.standard_normal(3)
X = RNG.standard_normal((4, 3))


def relu(z):
    return np.maximum(z, 0.0)


def softplus(z):
    return np.log1p(np.exp(z))


cube = lambda z: z * z * z  # noqa: E731 (a module-level lambda: held like a def)


class Dense:
    def __init__(self, W, b, act=np.tanh, post=None):
        self.W, self.b, self.act, self.post = W, b, act, post

    def __call__(self, h):
        h = self.act(h @ self.W + self.b)
        if self.post is not None:
            h = self.post(h)
        return h


class Scaled:
    def __init__(self, W, act):
        self.W = W
        self.act = act

    def go(self, x):
        return apply_twice(self.act, x @ self.W)

    def inner(self, x):
        return self.go(x) + self.act(x)  # (a method calling a method: the same object's functions)


def apply_twice(f, z):
    return f(f(z))


@dataclass
class Lin:
    W: np.ndarray
    act: Callable = np.sin

    def forward(self, x):
        return self.act(x @ self.W)


def run_layers(layers, x):
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h * h)


def made_layers(W, b, x):
    layers = [Dense(W, b, act=softplus), Dense(W, b), Dense(W, b, act=relu, post=np.exp)]
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h)


def made_dataclass(W, x):
    return np.sum(Lin(W, np.cos).forward(x)) + np.sum(Lin(W).forward(x)) + np.sum(Lin(W, act=cube).forward(x))


def called_outside(layer, x):
    return np.sum(layer.act(x @ layer.W) ** 2)


def through_helper(m, x):
    return np.sum(m.inner(x))


@pytest.mark.parametrize("layers", [
    [Dense(W, B, act=softplus), Dense(W, B), Dense(W, B, act=relu, post=np.exp)],
    [Dense(W, B, act=cube), Dense(W, B, act=np.arctan)],
], ids=["defs-ufuncs", "lambda-arctan"])
def test_layers_given_as_arguments(layers):
    check_grads(run_layers, (layers, X), wrt=("layers", "x"))


def test_layers_made_in_the_function():
    check_grads(made_layers, (W, B, X))
    f = differentiate(made_layers)
    f.value_and_grad(W, B, X)
    src = f.grad_source
    assert "np.log1p(" in src and "np.tanh(" in src and "np.maximum(" in src and "np.exp(" in src


def test_dataclass_fields_holding_functions():
    check_grads(made_dataclass, (W, X))
    assert math.isclose(differentiate(made_dataclass).value_and_grad(W, X)[0], made_dataclass(W, X))
    lin = Lin(W)  # (a dataclass given as an argument: its default function)
    check_grads(lambda layer, x: np.sum(layer.forward(x)), (lin, X))


def test_function_called_from_outside_a_method():
    for act in (softplus, np.arctan, cube):
        check_grads(called_outside, (Dense(W, B, act=act), X), wrt=("layer", "x"))


def test_function_passed_on_by_a_method():
    check_grads(through_helper, (Scaled(W, np.tanh), X))
    check_grads(through_helper, (Scaled(W, softplus), X))


def test_second_order_through_a_held_function():
    g = differentiate(lambda x: made_layers(W, B, x))
    v = RNG.standard_normal(X.shape)
    eps = 1e-5
    fd = (g.grad(X + eps * v) - g.grad(X - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hvp(lambda x: made_layers(W, B, x), (X,), v), fd, rtol=1e-5, atol=1e-7)


def test_changing_the_function_compiles_again():
    f = differentiate(run_layers, wrt="layers")
    layer = Dense(W, B, act=np.tanh)
    v1, _ = f.value_and_grad([layer], X)
    layer.act = softplus  # (the function is part of the object's signature, by identity)
    v2, g2 = f.value_and_grad([layer], X)
    assert math.isclose(v1, run_layers([Dense(W, B, act=np.tanh)], X))
    assert math.isclose(v2, run_layers([layer], X)) and not math.isclose(v1, v2)
    check_grads(run_layers, ([layer], X), wrt=("layers",))


class Shadowed:
    def __init__(self, W, act=None):
        self.W = W
        if act is not None:
            self.act = act

    def act(self, z):  # (an instance attribute of this name hides the method, as in Python)
        return 3.0 * z

    def __call__(self, x):
        return self.act(x @ self.W)


def test_an_instance_function_hides_the_class_method():
    check_grads(run_layers, ([Shadowed(W, np.sin)], X), wrt=("layers",))
    check_grads(run_layers, ([Shadowed(W)], X), wrt=("layers",))
    f = differentiate(run_layers)
    assert math.isclose(f.value_and_grad([Shadowed(W, np.sin)], X)[0], run_layers([Shadowed(W, np.sin)], X))


class Returns:
    def __init__(self, act):
        self.act = act

    def fn(self):
        return self.act


def returns_function(m, x):
    g = m.fn()
    return np.sum(x)


def binds_function(layer, x):
    f = layer.act
    return np.sum(f(x))


def made_with_local_lambda(W, b, x):
    return np.sum(Dense(W, b, act=lambda z: z * 2.0)(x))


def made_with_choice(W, b, x):
    act = np.tanh if np.sum(x) > 0 else np.sin
    return np.sum(Dense(W, b, act=act)(x))


@pytest.mark.parametrize("fn, args, said", [
    (returns_function, (Returns(np.tanh), X), "used there as a value"),
    (binds_function, (Dense(W, B), X), "calling a value"),
    (made_with_local_lambda, (W, B, X), "not a module-level one"),
    (made_with_choice, (W, B, X), "picked by a key known only when the function runs"),
])
def test_other_uses_are_refused(fn, args, said):
    with pytest.raises(S2SGradError, match=said):
        differentiate(fn, wrt="x").value_and_grad(*args)


# ------------------------------------------------------------------ the class a helper reads with
class Other:
    def __init__(self, v):
        self.v = v

    def scale(self):
        return 3.0 * self.v


def helper(o):
    return o.scale()


class Caller:
    def __init__(self, v):
        self.v = v

    def scale(self):
        return 2.0 * self.v

    @staticmethod
    def static_helper(o):
        return o.scale()

    def __call__(self, other):
        return helper(other) + self.scale()

    def via_static(self, other):
        return self.static_helper(other)


def calls_helper(a, b):
    return np.sum(a(b))


def calls_static(a, b):
    return np.sum(a.via_static(b)) + np.sum(Caller.static_helper(b))


@pytest.mark.parametrize("fn", [calls_helper, calls_static])
def test_a_helper_reads_its_argument_with_its_own_class(fn):
    # (the helper's o.scale() was the caller's Caller.scale: 18.0 for 24.0, 12.0 for 18.0)
    a, b = Caller(np.ones(3)), Other(2.0 * np.ones(3))
    value, _ = differentiate(fn, wrt=(0, 1)).value_and_grad(a, b)
    assert value == fn(a, b)
    check_grads(fn, (a, b), wrt=("a", "b"))


# ---------------------------------------------------------------- review 24: a function set twice
class SetTwice:
    def __init__(self, W, act=np.tanh):
        self.W = W
        self.act = act
        self.act = np.sin  # (the second binding is the one the object holds)

    def __call__(self, x):
        return self.act(x @ self.W)


class Base:
    def __init__(self, W, b, act):
        self.W, self.b, self.act = W, b, act


class SineChild(Base):
    def __init__(self, W, b):
        super().__init__(W, b, np.tanh)
        self.act = np.sin

    def __call__(self, x):
        return self.act(x @ self.W + self.b)


def set_twice(W, x):
    return np.sum(SetTwice(W)(x) ** 2)


def parent_then_child(W, x):
    return np.sum(SineChild(W, B)(x))


def made_in_a_loop(W, x, n):
    h, k = x, 0
    while k < n:
        h = SetTwice(W)(h) + 0.1 * k
        k += 1
    return np.sum(h)


@pytest.mark.parametrize("fn, args", [(set_twice, (W, X)), (parent_then_child, (W, X)),
                                      (made_in_a_loop, (W, X, 3))])
def test_a_function_set_twice_in_init_is_the_last_one(fn, args):
    # (the first binding was left in the code as a value: a crash inside s2sgrad)
    assert differentiate(fn, wrt="W").value_and_grad(*args)[0] == fn(*args)
    check_grads(fn, args, wrt="W")


# ---------------------------------------------------------------- a function picked for a constructor
ACTS = (np.tanh, softplus, np.sin)
PARAMS = [(RNG.standard_normal((3, 3)), RNG.standard_normal(3)) for _ in range(3)]


def picked_by_position(params, x):
    layers = []
    for i, (W, b) in enumerate(params):
        layers.append(Dense(W, b, ACTS[i]))
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h)


def picked_by_zip(params, x):
    layers = [Dense(W, b, a) for (W, b), a in zip(params, ACTS)]
    h = x
    for layer in reversed(layers):
        h = layer(h)
    return np.sum(h ** 2)


def picked_by_a_test(params, x):
    h = x
    for i, (W, b) in enumerate(params):
        h = Dense(W, b, act=np.sin if i == len(params) - 1 else np.tanh)(h)
    return np.sum(h)


def picked_when_running(params, x):
    return np.sum(Dense(params[0][0], params[0][1], np.sin if np.sum(x) > 0 else np.tanh)(x))


@pytest.mark.parametrize("fn", [picked_by_position, picked_by_zip, picked_by_a_test])
def test_a_constructor_given_a_function_picked_when_compiling(fn):
    assert differentiate(fn, wrt="params").value_and_grad(PARAMS, X)[0] == fn(PARAMS, X)
    check_grads(fn, (PARAMS, X), wrt=("params", "x"))


def test_a_function_picked_when_running_is_refused():
    with pytest.raises(S2SGradError, match="given a function picked by a key known only when the function runs"):
        differentiate(picked_when_running, wrt="x").value_and_grad(PARAMS, X)


# ---------------------------------------------------------------- review 25: an __init__'s default function
class WithPost:
    def __init__(self, W, post=None):
        self.W = W
        self.post = post if post is not None else np.cos

    def __call__(self, x):
        return self.post(x @ self.W)


class WithOr:
    def __init__(self, W, act=None):
        self.W = W
        self.act = act or np.tanh

    def __call__(self, x):
        return self.act(x @ self.W)


class WithIf:
    def __init__(self, W, act=None):
        self.W = W
        if act is None:
            self.act = np.tanh
        else:
            self.act = act

    def __call__(self, x):
        return self.act(x @ self.W)


def defaults_and_given(W, x):
    return np.sum(WithPost(W)(x)) + np.sum(WithPost(W, np.sin)(x)) + np.sum(WithOr(W)(x)) \
        + np.sum(WithOr(W, np.sin)(x)) + np.sum(WithIf(W)(x)) + np.sum(WithIf(W, np.sin)(x))


def test_a_default_function_chosen_in_init():
    assert differentiate(defaults_and_given, wrt="W").value_and_grad(W, X)[0] == defaults_and_given(W, X)
    check_grads(defaults_and_given, (W, X), wrt="W")


class ByData:
    def __init__(self, W, s):
        self.W = W
        self.act = np.sin if s > 0 else np.tanh

    def __call__(self, x):
        return self.act(x @ self.W)


def chosen_by_data(W, x):
    return np.sum(ByData(W, np.sum(x))(x))


def test_a_function_chosen_by_data_in_init_is_refused():
    with pytest.raises(S2SGradError, match="given a function picked by a key known only when the function runs"):
        differentiate(chosen_by_data, wrt="W").value_and_grad(W, X)
