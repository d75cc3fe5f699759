"""Calls written as other rows (rules/masked_reductions.py, rules/args_forms.repeat_as_take): where=
and initial= of numpy's reductions (values equal to numpy's, gradients against finite differences and
forward mode, the left-out elements' cotangent exactly 0, numpy's own refusal of max(where=) without
initial=); np.repeat with counts other than one integer constant, as the gather it is."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(1)
X = rng.standard_normal((4, 3))


def reductions(x):
    m = x > -0.3
    a = np.sum(x ** 2, where=m)
    b = np.mean(np.sin(x), axis=0, where=m)
    c = np.max(x, axis=1, where=m, initial=-5.0)
    d = x.sum(axis=1, keepdims=True, where=m, initial=0.5)
    e = np.prod(x + 2, where=m, axis=0)
    low = x.min(where=x < 1.0, initial=0.2)
    g = x.mean(1, None, None, True, where=np.array([[True, False, True]]))  # keepdims by position; broadcast
    return a + np.sum(b * c[:3]) + np.sum(d * x) + np.sum(e) + low + np.sum(g)


def test_values_and_gradients_of_masked_reductions():
    v, _ = differentiate(reductions).value_and_grad(X)
    assert v == pytest.approx(reductions(X), rel=1e-14)
    check_grads(reductions, (X,))


def log_of_positive(x):
    return np.sum(np.log(x), where=x > 0) + np.mean(np.sqrt(x), where=x > 0)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # (numpy warns in the plain function too)
def test_left_out_elements_get_exactly_zero_even_where_their_derivative_is_nan():
    x = np.array([2.0, -1.0, 0.5, 0.0])
    g = differentiate(log_of_positive).grad(x)
    assert np.all(np.isfinite(g)) and g[1] == 0.0 and g[3] == 0.0
    np.testing.assert_allclose(g[[0, 2]], 1 / x[[0, 2]] + 0.5 / np.sqrt(x[[0, 2]]) / 2, rtol=1e-14)
    _, t = jvp(log_of_positive, (x,), (np.ones(4),))
    assert t == pytest.approx(np.sum(g), rel=1e-14)


def max_without_initial(x):
    return np.max(x, where=x > 0)


def max_without_where(x):
    return np.max(x[x > 10.0], initial=0.25)   # (numpy gives 0.25 for the empty selection)


def test_max_with_where_and_no_initial_is_refused_as_numpy_refuses_it():
    with pytest.raises(S2SGradError, match="needs initial="):
        differentiate(max_without_initial).grad(X)
    with pytest.raises(S2SGradError, match="initial= and no where="):
        differentiate(max_without_where).grad(X)


COUNTS = np.array([1, 2, 3])


def integer_initial(w):
    # numpy casts initial to the array's dtype: 0.5 is 0 and 3.7 is 3 for integers
    return w * np.sum(COUNTS, initial=0.5) + np.max(COUNTS, where=COUNTS > 1, initial=3.7) * w \
        + np.sum(w * COUNTS, initial=w) + np.mean([w, w * w, 3.0], where=[True, True, False])


def test_initial_is_cast_to_the_arrays_dtype_and_a_list_is_the_array_numpy_makes():
    v, g = differentiate(integer_initial).value_and_grad(2.0)
    assert v == integer_initial(2.0) == 6 * 2.0 + 3 * 2.0 + 7 * 2.0 + 3.0
    assert g == 6 + 3 + 7 + 0.5 + 2.0
    check_grads(integer_initial, (2.0,))


LANES = np.array([2, 1, 3])


def repeats(g, k):
    a = np.repeat(g, LANES)                              # counts held by a global array
    M = np.outer(g, g)
    b = np.repeat(M, LANES, axis=1)
    c = M.repeat(np.array([0, 2, 1]), 0)                 # a zero count drops a row
    d = np.repeat(np.sin(g), int(k))                     # a count known only when running
    e = np.repeat(M, [1, 2, 1, 1, 1, 1, 1, 1, 2])        # axis None: of the flattened matrix
    return np.sum(a ** 2) + np.sum(b * b[::-1]) + np.sum(c ** 3) + np.sum(d * np.arange(d.size)) + np.sum(e ** 2)


def test_repeat_with_counts_other_than_one_integer_constant():
    g = np.array([0.3, -1.1, 0.7])
    assert differentiate(repeats, wrt="g").value_and_grad(g, 2.0)[0] == pytest.approx(repeats(g, 2.0), rel=1e-14)
    check_grads(repeats, (g, 2.0), wrt="g")
    # by hand: a = repeat(g, [2, 1, 3]) gives sum(a ** 2) the gradient 2 * counts * g
    def only_a(g):
        return np.sum(np.repeat(g, LANES) ** 2)
    np.testing.assert_allclose(differentiate(only_a).grad(g), 2 * LANES * g, rtol=1e-15)


def test_a_negative_count_raises_numpys_error():
    def neg(g):
        return np.sum(np.repeat(g, np.array([1, -1, 2])))
    with pytest.raises(ValueError, match="negative"):
        differentiate(neg).grad(np.ones(3))
