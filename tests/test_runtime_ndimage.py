"""runtime_ndimage.py (scipy.ndimage.map_coordinates, orders 0 and 1): the numpy value against
scipy's for every supported mode and order in 1-D, 2-D and 3-D, on integers, half-integers, the
edges and a hair either side of them, far outside, and at random; the adjoints against central
differences of scipy's own function away from its kinks; the knot convention against one-sided
differences; the tangent against the adjoint (dot-product test); the refusals."""
import zlib

import numpy as np
import pytest
from scipy.ndimage import map_coordinates

from s2sgrad.runtime_ndimage import (NAMES, SUPPORTED_MODES, SUPPORTED_ORDERS, map_coordinates_adjoint,
                                     map_coordinates_tangent, map_coordinates_value)

def _rng(*key):
    """A generator of its own for each test and parameters (the draws do not depend on which tests
    ran before in the same process: pytest-xdist splits them differently every run)."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))

CVAL = 0.7
CASES = [(mode, order) for mode in SUPPORTED_MODES for order in SUPPORTED_ORDERS]


def _hard_points(n, rng):
    """Coordinates along an axis of length n where the modes' mappings have their edge cases: the
    edges, the periods of every mode and their multiples, each exactly, a hair off and half off;
    then a half-integer grid and random points well beyond the input on both sides."""
    base = [0, n - 1, n, -1, 2 * n, -2 * n, 2 * n - 2, 2 - 2 * n, 1 - n, 3 * (n - 1), -3 * (n - 1), 4 * n, -4 * n]
    hair = (0.0, 1e-17, -1e-17, 1e-16, -1e-16, 1e-15, -1e-15, 1e-9, -1e-9, 0.5, -0.5, 0.25)
    pts = [b + d for b in base for d in hair]
    pts += list(np.arange(-5 * n, 5 * n + 1, 0.5)) + list(rng.uniform(-4 * n, 5 * n, 200))
    pts += [1e6 + 0.3, -1e6 - 0.3, 1e12 + 0.5, -1e12 + 0.25]
    return np.array(pts)


@pytest.mark.parametrize("mode,order", CASES)
def test_value_is_scipys_in_1d(mode, order):
    RNG = _rng('test_value_is_scipys_in_1d', mode, order)
    for n in (1, 2, 3, 5, 8):
        a = RNG.standard_normal(n)
        x = _hard_points(n, RNG)[None]
        got = map_coordinates_value(a, x, order, mode, CVAL)
        want = map_coordinates(a, x, order=order, mode=mode, cval=CVAL)
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=f"n={n}")


@pytest.mark.parametrize("mode,order", CASES)
@pytest.mark.parametrize("shape", [(4, 5), (3, 1, 4), (2, 3, 2)])
def test_value_is_scipys_in_nd(mode, order, shape):
    RNG = _rng('test_value_is_scipys_in_nd', mode, order, shape)
    a = RNG.standard_normal(shape)
    x = np.array([RNG.choice(_hard_points(n, RNG), 600) for n in shape]).reshape(len(shape), 20, 30)
    got = map_coordinates_value(a, x, order, mode, -0.3)
    want = map_coordinates(a, x, order=order, mode=mode, cval=-0.3)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode,order", CASES)
def test_float32_in_float32_out(mode, order):
    RNG = _rng('test_float32_in_float32_out', mode, order)
    a = RNG.standard_normal((5, 6)).astype(np.float32)
    x = RNG.uniform(-8, 13, (2, 50)).astype(np.float32)
    got = map_coordinates_value(a, x, order, mode, CVAL)
    want = map_coordinates(a, x, order=order, mode=mode, cval=CVAL)
    assert got.dtype == want.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6)


def _off_kinks(shape, rng, size, lo=-2.5, hi=3.5):
    """Coordinates (len(shape), *size): per axis, the first half of the points over [-1, n] (about
    the input), the rest over [lo * n, hi * n] (far out), each at least 1e-3 from every integer
    and half-integer (order 1 kinks at integers, order 0 jumps at halves)."""
    out = []
    for n in shape:
        x = rng.uniform(lo * n, hi * n, size)
        x[: size[0] // 2] = rng.uniform(-1, n, x[: size[0] // 2].shape)
        frac = np.mod(x, 0.5)
        x = np.where(frac < 1e-3, x + 2e-3, np.where(frac > 0.5 - 1e-3, x - 2e-3, x))
        out.append(x)
    return np.array(out)


def _dot(u, v):
    return float(np.sum(np.asarray(u, dtype=np.float64) * np.asarray(v, dtype=np.float64)))


@pytest.mark.parametrize("mode,order", CASES)
@pytest.mark.parametrize("shape", [(6,), (4, 5), (3, 4, 2)])
def test_adjoints_against_central_differences(mode, order, shape):
    RNG = _rng('test_adjoints_against_central_differences', mode, order, shape)
    a = RNG.standard_normal(shape)
    x = _off_kinks(shape, RNG, (5, 7))
    u = RNG.standard_normal(x.shape[1:])
    f = lambda a_, x_: map_coordinates(a_, x_, order=order, mode=mode, cval=CVAL)  # noqa: E731
    va, vx = RNG.standard_normal(a.shape), RNG.standard_normal(x.shape)
    ga = map_coordinates_adjoint(u, a, x, order, mode, CVAL, 0)
    gx = map_coordinates_adjoint(u, a, x, order, mode, CVAL, 1)
    assert ga.shape == a.shape and gx.shape == x.shape
    eps = 1e-6
    fd_a = _dot(u, f(a + eps * va, x) - f(a - eps * va, x)) / (2 * eps)
    fd_x = _dot(u, f(a, x + eps * vx) - f(a, x - eps * vx)) / (2 * eps)
    np.testing.assert_allclose(_dot(va, ga), fd_a, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(_dot(vx, gx), fd_x, rtol=1e-6, atol=1e-7)
    # per coordinate too (a sum could hide two wrong terms that cancel)
    for k in range(len(shape)):
        e = np.zeros_like(x)
        e[k] = eps
        fd_k = (f(a, x + e) - f(a, x - e)) / (2 * eps)
        np.testing.assert_allclose(gx[k], u * fd_k, rtol=1e-6, atol=1e-7)
    if order == 0:
        assert not gx.any()
    else:
        assert np.abs(gx).max() > 0.1  # the coordinates' gradient was exercised


@pytest.mark.parametrize("mode", SUPPORTED_MODES)
def test_knots_take_the_documented_one_sided_derivative(mode):
    """At an integer coordinate: the derivative from the right where the function is continuous
    from the right, else from the left (the piece the value came from), else 0 -- checked by
    one-sided differences of scipy's function at every integer from -3n to 4n."""
    RNG = _rng('test_knots_take_the_documented_one_sided_derivative', mode)
    h = 1e-7
    seen = set()
    for n in (1, 2, 3, 5):
        a = RNG.standard_normal(n)
        x = np.arange(-3 * n, 4 * n + 1, dtype=np.float64)[None]
        f = lambda x_: map_coordinates(a, x_, order=1, mode=mode, cval=CVAL)  # noqa: E731
        f0, fr, fl = f(x), f(x + h), f(x - h)
        right, left = (fr - f0) / h, (f0 - fl) / h
        from_right, from_left = np.abs(fr - f0) < 1e-5, np.abs(f0 - fl) < 1e-5
        # (neither: 'constant' with one sample, whose value at 0 is a piece of one point)
        want = np.where(from_right, right, np.where(from_left, left, 0.0))
        got = map_coordinates_adjoint(np.ones(x.shape[1:]), a, x, 1, mode, CVAL, 1)[0]
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=f"n={n}")
        # the same along the first axis of a 2-D input, the second coordinate off its knots
        a2 = RNG.standard_normal((n, 3))
        x2 = np.stack([x[0], RNG.uniform(-0.9, 2.9, x.shape[1])])
        e = np.array([[h], [0.0]])
        f2 = lambda x_: map_coordinates(a2, x_, order=1, mode=mode, cval=CVAL)  # noqa: E731
        f0, fr, fl = f2(x2), f2(x2 + e), f2(x2 - e)
        from_right, from_left = np.abs(fr - f0) < 1e-5, np.abs(f0 - fl) < 1e-5
        want = np.where(from_right, (fr - f0) / h, np.where(from_left, (f0 - fl) / h, 0.0))
        got = map_coordinates_adjoint(np.ones(x.shape[1:]), a2, x2, 1, mode, CVAL, 1)[0]
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=f"2-D, n={n}")
        seen.update(("right" if r else "left", bool(np.abs(right - left)[i] > 1e-3))
                    for i, r in enumerate(from_right))
    assert ("right", True) in seen  # kinks were met (left and right derivatives differ)


def test_jumps_take_the_left_piece():
    a = np.array([1.0, 10.0, 100.0, 1000.0])
    x = np.array([[3.0, 0.0, -3.0, 6.0]])
    # 'constant': the last sample is the end of the piece from the left; 0 starts the piece to the right
    np.testing.assert_allclose(map_coordinates_adjoint(np.ones(4), a, x, 1, "constant", 0.0, 1)[0],
                               [900.0, 9.0, 0.0, 0.0])
    # 'wrap' (period 3): 3 and -3 read a[3] (the piece [2, 3]); 0 and 6 read a[0] (the piece [0, 1])
    np.testing.assert_allclose(map_coordinates_value(a, x, 1, "wrap", 0.0), [1000.0, 1.0, 1000.0, 1.0])
    np.testing.assert_allclose(map_coordinates_adjoint(np.ones(4), a, x, 1, "wrap", 0.0, 1)[0],
                               [900.0, 9.0, 900.0, 9.0])


@pytest.mark.parametrize("mode,order", CASES)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 3)])
def test_tangent_is_the_adjoints_transpose(mode, order, shape):
    RNG = _rng('test_tangent_is_the_adjoints_transpose', mode, order, shape)
    a = RNG.standard_normal(shape)
    # half the points on knots (integers), half anywhere, in and out of the input
    x = RNG.uniform(-2 * max(shape), 3 * max(shape), (len(shape), 8, 5))
    x[:, :4] = np.round(x[:, :4])
    da, dx, u = RNG.standard_normal(a.shape), RNG.standard_normal(x.shape), RNG.standard_normal(x.shape[1:])
    jv = map_coordinates_tangent(a, x, da, dx, order, mode, CVAL)
    assert jv.shape == x.shape[1:]
    lhs = _dot(jv, u)
    rhs = _dot(da, map_coordinates_adjoint(u, a, x, order, mode, CVAL, 0)) \
        + _dot(dx, map_coordinates_adjoint(u, a, x, order, mode, CVAL, 1))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-12)
    # each tangent alone, and a None tangent is zero
    np.testing.assert_allclose(map_coordinates_tangent(a, x, da, None, order, mode, CVAL),
                               map_coordinates_value(da, x, order, mode, 0.0), rtol=1e-12, atol=1e-12)
    assert not map_coordinates_tangent(a, x, None, None, order, mode, CVAL).any()


def test_cotangent_dtypes_and_repeated_samples():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    x = np.array([[0.5, 0.5, 0.5], [1.25, 1.25, 1.25]], dtype=np.float32)
    ga = map_coordinates_adjoint(np.ones(3, np.float32), a, x, 1, "nearest", 0.0, 0)
    gx = map_coordinates_adjoint(np.ones(3, np.float32), a, x, 1, "nearest", 0.0, 1)
    assert ga.dtype == np.float32 and gx.dtype == np.float32
    # three points on the same four samples: each collects 3 * its bilinear weight
    np.testing.assert_allclose(ga, 3 * np.array([[0, 0.375, 0.125], [0, 0.375, 0.125]]))
    np.testing.assert_allclose(gx, [[3.0] * 3, [1.0] * 3])  # rows differ by 3, columns by 1
    gi = map_coordinates_adjoint(np.ones(2), a.astype(np.float64), np.array([[0, 1], [2, 0]]), 1, "nearest", 0.0, 1)
    assert gi.dtype == np.float64 and gi.shape == (2, 2)


@pytest.mark.parametrize("bad,error", [
    (dict(order=2), ValueError), (dict(order=3), ValueError), (dict(mode="edge"), ValueError),
    (dict(a=np.ones(4, complex)), TypeError), (dict(a=np.arange(4)), TypeError),
    (dict(x=np.array([[np.nan]])), ValueError), (dict(x=np.array([[np.inf]])), ValueError),
    (dict(x=np.array([[2.0 ** 53]])), ValueError), (dict(x=np.array([[1j]])), TypeError),
    (dict(x=np.array([[1.0], [2.0]])), ValueError), (dict(x=np.array([1.0])), ValueError),
])
def test_refusals(bad, error):
    args = dict(a=np.ones(4), x=np.array([[1.5]]), order=1, mode="nearest")
    args.update(bad)
    with pytest.raises(error):
        map_coordinates_value(args["a"], args["x"], args["order"], args["mode"], 0.0)
    with pytest.raises(error):
        map_coordinates_adjoint(np.ones(np.shape(args["x"])[1:]), args["a"], args["x"], args["order"],
                                args["mode"], 0.0, 1)
    with pytest.raises(error):
        map_coordinates_tangent(args["a"], args["x"], None, None, args["order"], args["mode"], 0.0)


def test_which_must_be_0_or_1():
    with pytest.raises(ValueError):
        map_coordinates_adjoint(np.ones(1), np.ones(3), np.array([[0.5]]), 1, "nearest", 0.0, 2)


def test_names():
    from s2sgrad.runtime_ndimage import scipy_map_coordinates
    assert NAMES == {"map_coordinates_adjoint": map_coordinates_adjoint,
                     "map_coordinates_tangent": map_coordinates_tangent,
                     "scipy_map_coordinates": scipy_map_coordinates}
    assert SUPPORTED_ORDERS == (0, 1)
