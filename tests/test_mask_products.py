"""`g * mask` with g = 1 is a float array, never the mask itself.

A fuzzed program found a silent wrong gradient in the numpy backend: np.nan_to_num's adjoint is
`g * np.isfinite(x)`, and with the seed 1.0 specialised in, `1.0 * np.isfinite(x)` was simplified
to the mask itself (builder.binop and passes.optimize.reassociate_products dropped the factor 1).
Two such adjoints then added as `grad_t + grad_t`: for numpy booleans a logical or, so the
gradient of np.sum(np.nan_to_num(s + s)) came out True (1) instead of 2.
"""
import numpy as np
import pytest

from s2sgrad import differentiate


def doubled_nan_to_num(s):
    t = s + s
    return np.sum(np.nan_to_num(t))


def masked_twice(x):
    m = np.isfinite(x)
    return np.sum(np.where(m, x, 0.0)) + np.sum(np.nan_to_num(x)) + np.sum(np.nan_to_num(x * 3.0))


@pytest.mark.parametrize("arg", [1.3, np.float64(1.3), np.array([1.0, np.inf, -2.0, np.nan])])
def test_the_adjoint_of_nan_to_num_is_a_number(arg):
    v, g = differentiate(doubled_nan_to_num).value_and_grad(arg)
    want = np.where(np.isfinite(np.asarray(arg, float) * 2), 2.0, 0.0)
    assert np.asarray(g).dtype == np.float64
    np.testing.assert_array_equal(np.asarray(g), want)


def test_masks_from_predicates_add_as_numbers():
    x = np.array([0.5, np.inf, -1.5, 2.0])
    g = differentiate(masked_twice).grad(x)
    np.testing.assert_array_equal(g, [5.0, 0.0, 5.0, 5.0])
    assert "1.0 * np.isfinite" in differentiate(doubled_nan_to_num).compiled_for(1.3).value_and_grad_source


def test_a_factor_one_still_goes_where_it_changes_nothing():
    """The simplification stays where the other factor is a float array: `1.0 * np.exp(x)` is
    np.exp(x) in the generated code."""
    def f(x):
        return np.sum(np.exp(x))
    src = differentiate(f).compiled_for(np.ones(3)).value_and_grad_source
    assert "1.0 * " not in src and "np.exp(x)" in src
