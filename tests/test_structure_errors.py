"""What stays refused in issue 10's area, each at the user's line with what to write instead."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate


def star_args(*xs):
    return np.sum(xs[0])


def generator(x):
    yield x


def try_except(x):
    try:
        y = x * 2
    except ValueError:
        y = x
    return np.sum(y)


def uses_eval(x):
    return eval("x")


def generator_expression(x):
    doubled = (v * 2 for v in x)  # (one given straight to sum, list or tuple is read as a list)
    return np.sum(sum(doubled))


class Model:
    def __init__(self):
        self.W = np.ones(2)

    def loss(self, x):
        return np.sum(self.W * x) + self.missing(x)


@pytest.mark.parametrize("fn,message,line", [
    (star_args, "take the arrays as separate parameters", "def star_args(*xs):"),
    (generator, "a generator cannot be differentiated", "yield x"),
    (try_except, "compute the arguments before the try", "y = x * 2"),
    (uses_eval, "cannot see code built at run time", 'return eval("x")'),
    (generator_expression, "write a list comprehension", "doubled = (v * 2 for v in x)"),
    (Model().loss, "'Model' has no method 'missing'", "self.missing(x)"),
])
def test_refusal_names_the_line_and_the_rewrite(fn, message, line):
    with pytest.raises(s2sgrad.S2SGradError) as info:
        differentiate(fn).grad(np.ones(2))
    text = str(info.value)
    assert message in text and line in text and "test_structure_errors.py:" in text


def make_scaler(a):
    def f(t):
        return t * a
    return f


def returned_closure(x):
    h = make_scaler(x)
    return np.sum(h(x))


def stored_closure(x):
    fs = [make_scaler(x)]
    return np.sum(fs[0](x))


def test_a_nested_function_used_as_a_value_is_named():
    # (a factory's result bound to a name is a local function now: frontend/factories.py)
    np.testing.assert_allclose(differentiate(returned_closure).grad(np.array([1.0, 2.0])), [2.0, 4.0])
    # (and a list of them is a table of functions: frontend/function_values.py)
    np.testing.assert_allclose(differentiate(stored_closure).grad(np.array([1.0, 2.0])), [2.0, 4.0])


def enumerate_of_zip(xs, ys):
    total = 0.0
    for i, (x, y) in enumerate(zip(xs, ys)):
        total = total + x * y * i
    return total


def test_enumerate_of_zip_is_a_loop_over_both():
    # (it was refused with 'zip() anywhere but as the iterable of a for loop')
    xs, ys = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    gx, gy = differentiate(enumerate_of_zip, wrt=("xs", "ys")).grad(xs, ys)
    np.testing.assert_allclose(gx, ys * np.arange(3.0))
    np.testing.assert_allclose(gy, xs * np.arange(3.0))


OPTIONS = {"huber": {"delta": 0.5}}


def options_get(x):
    return np.sum(x) * OPTIONS.get("huber", {})["delta"]


def isinstance_test(x):
    return np.sum(x) if isinstance(x, np.ndarray) else x


def _partial_scale(a, x):
    return a * x


import functools  # noqa: E402

PART = functools.partial(_partial_scale, 2.0)


def global_partial(x):
    return np.sum(PART(x))


@pytest.mark.parametrize("fn, words", [
    (options_get, "'OPTIONS.get', a method of a module-level dict"),
    (isinstance_test, "the builtin 'isinstance' is not supported"),
    (global_partial, "'PART' is a functools.partial made outside the function"),
])
def test_python_builtins_and_containers_are_named_as_what_they_are(fn, words):
    # (they read "has no differentiation rule", a numpy function's message: survey 14)
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match=words):
        differentiate(fn).grad(np.ones(2))


def per_column(Y):
    k = Y.shape[1]
    d = {c: np.sum(Y[:, c] ** 2) for c in range(k)}
    e = {}
    for j in range(Y.shape[1] - 1):
        e[f"c{j}"] = np.sum(Y[:, j] * Y[:, j + 1])
    return d[0] + 2.0 * d[k - 1] + e["c0"] + len(d)


def test_a_dict_built_over_a_range_of_an_arguments_shape():
    # (it was refused: "'k' is computed at run time"; the shape is this signature's, survey 14)
    from s2sgrad.testing import check_grads
    Y = np.random.default_rng(3).standard_normal((4, 3))
    assert differentiate(per_column).value_and_grad(Y)[0] == pytest.approx(per_column(Y), rel=1e-14)
    check_grads(per_column, (Y,))
    check_grads(per_column, (Y[:, :2],))  # (another shape: compiled again)
