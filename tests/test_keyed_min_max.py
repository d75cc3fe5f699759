"""min(seq, key=f) and max(seq, key=f) (frontend/folds.keyed_extreme_call): the loop Python runs --
the key once per item, the item replaced only where its key is strictly better, so ties keep the
first and a NaN key never wins.  The keys only choose (a comparison: piecewise constant); the
chosen item carries its derivative.  It was refused ('lambda is not supported')."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads


def nearest_to_zero(x):
    i = min(range(3), key=lambda j: x[j] ** 2)
    return x[i] * 3.0 + i


def best_row(x, W):
    rows = [W[0], W[1], W[2]]
    best = max(rows, key=lambda r: np.sum(r * x))
    return np.sum(best * x) + np.sum(best ** 2)


def score(v):
    return np.abs(v - 0.3)


def closest_by_named_key(x):
    def distance(j):
        return score(x[j])
    k = min(range(len(x)), key=distance)
    return x[k] ** 2


def closest_by_function(x):
    k = min(range(len(x)), key=lambda j: score(x[j]))
    return x[k] ** 2 + np.sum(x)


def nan_keys(x):
    keys = np.log(x)  # x[0] < 0: a NaN key, which never wins and is never beaten
    i = min(range(3), key=lambda j: keys[j])
    return x[i] * 2.0 + 10.0 * i


def with_default(x):
    return min(range(3), key=lambda j: x[j], default=0) * x[0]


def two_items(x):
    return max(x[0], x[1], key=lambda v: v * v)


def of_nothing(x):
    return x[min(range(0), key=lambda j: x[j])]


rng = np.random.default_rng(8)


def test_known_numbers_ties_keep_the_first():
    x = np.array([1.0, -1.0, 3.0])  # keys 1, 1, 9: the first of the tied
    v, g = differentiate(nearest_to_zero).value_and_grad(x)
    assert v == nearest_to_zero(x) == 3.0
    np.testing.assert_array_equal(g, [3.0, 0.0, 0.0])
    x = np.array([2.0, -0.5, 0.5])  # keys 4, .25, .25: index 1
    v, g = differentiate(nearest_to_zero).value_and_grad(x)
    assert v == nearest_to_zero(x) == -0.5
    np.testing.assert_array_equal(g, [0.0, 3.0, 0.0])


def test_a_nan_key_is_never_taken_nor_beaten_as_in_python():
    with np.errstate(invalid="ignore"):
        for x in (np.array([-1.0, 2.0, 0.5]), np.array([0.5, -1.0, 2.0])):
            assert differentiate(nearest_to_zero)(x) == nearest_to_zero(x)
            assert differentiate(nan_keys)(x) == nan_keys(x)


@pytest.mark.parametrize("fn,shapes", [(nearest_to_zero, [(3,)]), (best_row, [(2,), (3, 2)]),
                                       (closest_by_function, [(4,)]), (closest_by_named_key, [(4,)])],
                         ids=lambda v: getattr(v, "__name__", "shapes"))
def test_against_finite_differences_plain_values_and_forward_mode(fn, shapes):
    for _ in range(3):
        args = tuple(rng.standard_normal(s) for s in shapes)
        wrt = tuple(fn.__code__.co_varnames[:len(shapes)])
        d = differentiate(fn, wrt=wrt)
        assert d(*args) == pytest.approx(fn(*args), rel=1e-14)
        check_grads(d, args)
        grads = d.grad(*args)
        grads = grads if isinstance(grads, tuple) else (grads,)
        tangents = tuple(rng.standard_normal(s) for s in shapes)
        _, dv = s2sgrad.jvp(fn, args, tangents)
        assert float(dv) == pytest.approx(sum(float(np.sum(g * t)) for g, t in zip(grads, tangents)), rel=1e-12)


def test_the_generated_loop_reads_like_pythons():
    src = differentiate(nearest_to_zero).compiled_for(np.ones(3)).value_and_grad_source
    assert "best_key = x[best] ** 2" in src and "if item_key < best_key:" in src


@pytest.mark.parametrize("fn,match", [(with_default, "min\\(\\) with key= takes one sequence"),
                                      (two_items, "max\\(\\) with key= takes one sequence")],
                         ids=lambda v: getattr(v, "__name__", "match"))
def test_default_and_items_written_out_are_refused(fn, match):
    with pytest.raises(UnsupportedSyntaxError, match=match):
        differentiate(fn).grad(np.ones(3))


def test_an_empty_sequence_is_an_error_never_a_value():
    with pytest.raises((IndexError, ValueError)):
        differentiate(of_nothing).grad(np.ones(3))
