"""sorted() of a container known when compiling: `for k in sorted(params)`, `sorted(d.items())`,
`sorted(names, reverse=True)` of a list literal, a module-level list of names.  The order is Python's, decided when
compiling (passes/container_values.sorted_items); what cannot be ordered then -- arrays, values
known only when the function runs, a key= function -- is refused at the line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads

ORDER = ["W2", "b", "W1"]


def horner_over_sorted_keys(params, x):
    s = 0.0
    for k in sorted(params):  # W1, W2, b: an order-dependent sum (each term doubled by the ones after it)
        s = 2.0 * s + np.sum(params[k] * x[: params[k].size])
    return s


def over_sorted_items(params, x):
    s = 0.0
    for name, p in sorted(params.items(), reverse=True):  # b, W2, W1 (the keys decide; values never compared)
        s = 3.0 * s + np.sum(np.tanh(p * x[: p.size]))
    return s


def over_sorted_module_list(params, x):
    s = 0.0
    for k in sorted(ORDER):
        s = 2.0 * s + np.sum(params[k] ** 2) * x[0]
    return s


def over_sorted_names(params, x):
    s = 0.0
    names = ["b", "W1", "W2"]
    for k in sorted(names, reverse=True):
        s = 2.0 * s + np.sum(params[k]) * x[1]
    return s


def sorted_arrays(params, x):
    return np.sum(sorted(params.values())[0] * x[0])


def sorted_of_an_array(params, x):
    return sorted(x)[0] * 2.0


def sorted_with_key(params, x):
    return sum(np.sum(v) for _, v in sorted(params.items(), key=len))


def sorted_ties_reach_arrays(params, x):
    return np.sum(sorted([("a", params["W1"]), ("a", params["b"])])[0][1])


rng = np.random.default_rng(5)
PARAMS = {"b": rng.standard_normal(2), "W2": rng.standard_normal(3), "W1": rng.standard_normal(4)}
X = rng.standard_normal(4)


ARRAYS = [np.array([2.0]), np.array([1.0])]
PAIRS = [("b", np.array([1.0, 2.0])), ("a", np.array([3.0, 4.0]))]
W = {"a": 1.0, "b": 2.0, "c": 4.0, "x": 8.0, "y": 16.0}


class NamesIter:
    def __init__(self):
        self.p, self.q, self.r = "b", "a", "c"

    def __iter__(self):
        return iter(["y", "x"])


def over_a_module_list_backwards(params, x):
    s = 0.0
    for k in sorted(ORDER, reverse=True):
        s = 2.0 * s + np.sum(params[k]) * x[0]
    return s


def over_a_literal(x):
    s = 0.0
    for v in sorted([2, 1.5, 0]):
        s = 3.0 * s + v * x[0]
    return s


def over_module_arrays(params, x):
    s = 0.0
    for a in sorted(ARRAYS):
        s = 3.0 * s + np.sum(a * x[0])
    return s


def over_module_pairs(params, x):
    s = 0.0
    for name, a in sorted(PAIRS):
        s = 3.0 * s + np.sum(a * x[:2])
    return s


def over_an_object(obj, x):
    s = 0.0
    for k in sorted(obj):  # Python runs obj.__iter__: s2sgrad does not
        s = 3.0 * s + W[k] * x
    return s


def _by_hand(params, x, order, scale, term):
    s = 0.0
    for k in order:
        s = scale * s + term(params[k], x)
    return s


def test_known_numbers_in_pythons_order():
    term = lambda p, x: np.sum(p * x[: p.size])  # noqa: E731
    v, g = differentiate(horner_over_sorted_keys, wrt="params").value_and_grad(PARAMS, X)
    assert v == pytest.approx(_by_hand(PARAMS, X, ["W1", "W2", "b"], 2.0, term), rel=1e-14)
    # d/d W1 = 4 x[:4] (doubled by the two terms after it), W2: 2 x[:3], b: x[:2]
    np.testing.assert_allclose(g["W1"], 4 * X[:4], rtol=1e-14)
    np.testing.assert_allclose(g["W2"], 2 * X[:3], rtol=1e-14)
    np.testing.assert_allclose(g["b"], X[:2], rtol=1e-14)


@pytest.mark.parametrize("fn", [horner_over_sorted_keys, over_sorted_items, over_sorted_module_list],
                         ids=lambda f: f.__name__)
def test_against_finite_differences_and_forward_mode(fn):
    d = differentiate(fn, wrt=("params", "x"))
    check_grads(d, (PARAMS, X))
    v = differentiate(fn)(PARAMS, X)
    assert v == pytest.approx(fn(PARAMS, X), rel=1e-14)
    tp = {k: rng.standard_normal(p.shape) for k, p in PARAMS.items()}
    tx = rng.standard_normal(X.shape)
    _, dv = s2sgrad.jvp(fn, (PARAMS, X), (tp, tx))
    gp, gx = d.grad(PARAMS, X)
    assert float(dv) == pytest.approx(sum(np.sum(gp[k] * tp[k]) for k in tp) + np.sum(gx * tx), rel=1e-12)


def test_a_list_of_names_sorted_backwards():
    g = differentiate(over_sorted_names, wrt="x").grad(PARAMS, X)
    # order b, W2, W1: d/dx1 = 4 sum(b) + 2 sum(W2) + sum(W1)
    expect = 4 * PARAMS["b"].sum() + 2 * PARAMS["W2"].sum() + PARAMS["W1"].sum()
    np.testing.assert_allclose(g, [0.0, expect, 0.0, 0.0], rtol=1e-14)


@pytest.mark.parametrize("fn,match", [
    (sorted_arrays, "cannot compare when compiling"),
    (sorted_of_an_array, "sorted\\(\\) of something s2sgrad does not hold as a container"),
    (sorted_with_key, "sorted\\(key=\\) of items that differ in a part known when compiling"),
    (sorted_ties_reach_arrays, "cannot compare when compiling"),
], ids=lambda v: getattr(v, "__name__", "match"))
def test_what_cannot_be_ordered_when_compiling_is_refused_at_the_line(fn, match):
    with pytest.raises(UnsupportedSyntaxError, match=match) as info:
        differentiate(fn, wrt="x").grad(PARAMS, X)
    assert "test_sorted_containers.py:" in str(info.value)


def test_module_level_and_literal_lists_of_constants():
    g = differentiate(over_a_module_list_backwards, wrt="x").grad(PARAMS, X)
    # order b, W2, W1
    expect = 4 * np.sum(PARAMS["b"]) + 2 * np.sum(PARAMS["W2"]) + np.sum(PARAMS["W1"])
    np.testing.assert_allclose(g, [expect, 0.0, 0.0, 0.0], rtol=1e-14)
    v, g = differentiate(over_a_literal).value_and_grad(X)
    assert v == over_a_literal(X)
    np.testing.assert_allclose(g, [0 * 9 + 1.5 * 3 + 2, 0.0, 0.0, 0.0], rtol=1e-14)


def test_module_lists_holding_arrays():
    """The review's cases: a module-level list of arrays was written into the generated code as
    `array([1.])` (a NameError): now refused (arrays are not compared when compiling); a list of
    (name, array) pairs crashed in a later pass: now sorted by the names, the arrays read through
    the prologue, as Python orders them."""
    with pytest.raises(UnsupportedSyntaxError, match="sorted\\(\\)"):
        differentiate(over_module_arrays, wrt="x").grad(PARAMS, X)
    d = differentiate(over_module_pairs, wrt="x")
    v, g = d.value_and_grad(PARAMS, X)
    assert v == over_module_pairs(PARAMS, X)
    np.testing.assert_allclose(g[:2], 3 * PAIRS[1][1] + PAIRS[0][1], rtol=1e-14)  # "a" first, then "b"
    check_grads(d, (PARAMS, X))


def test_an_object_is_refused_as_list_of_one_is():
    """The review's case: sorted(obj) sorted the object's attribute values (28.5 for Python's 60.0,
    which runs obj.__iter__)."""
    with pytest.raises(UnsupportedSyntaxError, match="does not run a class's __iter__"):
        differentiate(over_an_object, wrt="x").grad(NamesIter(), 1.5)
