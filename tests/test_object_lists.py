"""Lists of objects built in the function (passes/object_lists.py): `[Dense(W, b) for W, b in
params]` and `layers.append(Dense(W, b))` in a loop over a container argument, held as lists known
when compiling.  Gradients against central differences and values against Python; what cannot be
held so is refused."""
import numpy as np
import pytest

from s2sgrad import S2SGradError, differentiate
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(11)
PARAMS = [(RNG.standard_normal((3, 3)), RNG.standard_normal(3)) for _ in range(3)]
X = RNG.standard_normal((4, 3))


def relu(z):
    return np.maximum(z, 0.0)


class Dense:
    def __init__(self, W, b, act=np.tanh):
        self.W = W
        self.b = b
        self.act = act

    def __call__(self, h):
        return self.act(h @ self.W + self.b)


def comprehension(params, x):
    layers = [Dense(W, b) for W, b in params]
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h ** 2)


def appends(params, x):
    layers = []
    for i, (W, b) in enumerate(params):
        layers.append(Dense(W, b, act=relu) if i == len(params) - 1 else Dense(W, b))
    h = x
    for layer in reversed(layers):
        h = layer(h)
    return np.sum(h)


def read_while_building(params, x):
    layers = []
    h = x
    for W, b in params:
        layers.append(Dense(W, 2.0 * b))
        h = layers[-1](h) + h
    return np.sum(h) + len(layers)


def over_a_range(params, x):
    layers = [Dense(params[k][0], params[k][1]) for k in range(2)]
    return np.sum(layers[1](layers[0](x)))


def to_a_helper(params, x):
    return np.sum(run_all([Dense(W, b) for W, b in params], x))


def run_all(layers, x):
    for layer in layers:
        x = layer(x)
    return x


@pytest.mark.parametrize("fn", [comprehension, appends, read_while_building, over_a_range, to_a_helper])
def test_lists_of_objects_made_in_the_function(fn):
    check_grads(fn, (PARAMS, X), wrt=("params", "x"))
    value, _ = differentiate(fn, wrt="params").value_and_grad(PARAMS, X)
    assert value == fn(PARAMS, X)


def test_the_generated_code_holds_no_list():
    f = differentiate(comprehension, wrt="params")
    f.value_and_grad(PARAMS, X)
    assert "layers" not in f.grad_source and f.grad_source.count("np.tanh(") == 3


def in_a_while(params, x):
    layers = []
    k = 0
    while k < 2:
        layers.append(Dense(params[0][0], params[0][1]))
        k += 1
    return np.sum(layers[0](x))


def runtime_count(params, x, n):
    layers = [Dense(params[0][0], params[0][1]) for _ in range(n)]
    return np.sum(layers[0](x))


def values_then_objects(params, x):
    layers = [x]
    layers.append(Dense(params[0][0], params[0][1]))
    return np.sum(layers[1](x))


def runtime_branch(params, x):
    layers = []
    for W, b in params:
        if np.sum(x) > 0:
            layers.append(Dense(W, b))
    return np.sum(layers[0](x))


@pytest.mark.parametrize("fn, args, said", [
    (in_a_while, (PARAMS, X), "in a while loop"),
    (values_then_objects, (PARAMS, X), "an object of 'Dense' appended to a list"),
    (runtime_branch, (PARAMS, X), "leaves it on a different container depending on the path taken"),
])
def test_lists_that_cannot_be_held_are_refused(fn, args, said):
    with pytest.raises(S2SGradError, match=said):
        differentiate(fn, wrt="x").value_and_grad(*args)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_count_passed_in_is_compiled_per_value(n):
    # n sets how many objects the list holds, so each n gets its own compiled gradient.
    f = differentiate(runtime_count, wrt="x")
    value, grad = f.value_and_grad(PARAMS, X, n)
    assert value == runtime_count(PARAMS, X, n)
    check_grads(runtime_count, (PARAMS, X, n), wrt="x")
