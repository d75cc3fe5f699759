"""The rows of rules/signal.py and rules/covariance.py (convolve, correlate, interp, trapezoid,
polyval, meshgrid, cov, corrcoef) with their numbers: against central finite differences in float64
along random directions, against Jacobians numpy itself builds (the linear rows) or known
derivatives, forward mode against reverse mode (the dot-product test), every mode and option, and
every refusal naming its option and the user's line.  The ufunc methods and nanmax/nanmin are in
tests/test_rules_ufuncs.py."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError

rng = np.random.default_rng(2024)


def _args_along(args, idx, dirs, step):
    out = list(args)
    for i, d in zip(idx, dirs):
        out[i] = args[i] + step * d
    return out


def fd_check(fn, args, wrt, directions=3, eps=1e-6, rtol=1e-6):
    """The reverse gradient of a scalar fn against central differences along random directions."""
    import inspect
    names = list(inspect.signature(fn).parameters)
    idx = [names.index(w) for w in wrt]
    value, grads = differentiate(fn, wrt=tuple(wrt)).value_and_grad(*args)
    assert np.isclose(value, fn(*args), rtol=1e-12, atol=1e-12)
    for g, i in zip(grads, idx):
        assert np.shape(g) == np.shape(args[i])
    r = np.random.default_rng(7)
    for _ in range(directions):
        dirs = [r.standard_normal(np.shape(args[i])) for i in idx]
        dirs = [float(d) if np.ndim(args[i]) == 0 else d for d, i in zip(dirs, idx)]
        fd = (fn(*_args_along(args, idx, dirs, eps)) - fn(*_args_along(args, idx, dirs, -eps))) / (2 * eps)
        ad = sum(float(np.sum(g * d)) for g, d in zip(grads, dirs))
        assert abs(fd - ad) <= 1e-7 + rtol * max(abs(fd), abs(ad)), (fd, ad)
    return grads


def dot_check(fn, args, wrt, eps=1e-6):
    """For an array-valued fn: the tangent (s2sgrad.jvp) against central differences, and
    <J v, w> == <v, J^T w> against the pullback, to round-off."""
    import inspect
    names = list(inspect.signature(fn).parameters)
    r = np.random.default_rng(11)
    out = fn(*args)
    w = r.standard_normal(np.shape(out))
    _, pullback = differentiate(fn, wrt=tuple(wrt)).vjp(*args)
    cot = pullback(w)
    tangents = [r.standard_normal(np.shape(a)) if n in wrt else None for n, a in zip(names, args)]
    tangents = [float(t) if t is not None and np.ndim(a) == 0 else t for t, a in zip(tangents, args)]
    value, jv = s2sgrad.jvp(fn, tuple(args), tuple(tangents))
    np.testing.assert_allclose(value, out, rtol=1e-12, atol=1e-12)
    idx = [names.index(n) for n in wrt]
    dirs = [tangents[i] for i in idx]
    plus, minus = (np.asarray(fn(*_args_along(args, idx, dirs, s * eps))) for s in (1, -1))
    fd = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(jv, fd, rtol=1e-5, atol=1e-6)
    lhs = float(np.sum(jv * w))
    rhs = sum(float(np.sum(c * t)) for c, t in zip(cot, dirs))
    assert abs(lhs - rhs) <= 1e-10 * max(1.0, abs(lhs), abs(rhs)), (lhs, rhs)


def refused(fn, args, *words):
    """fn is refused, with a message naming each of `words` and fn's return line (its last line)."""
    with pytest.raises(S2SGradError) as info:
        differentiate(fn).grad(*args)
    msg = str(info.value)
    import inspect
    import os
    lines, start = inspect.getsourcelines(fn)
    line = start + len(lines) - 1
    assert f"{os.path.basename(inspect.getsourcefile(fn))}:{line}:" in msg, msg
    for w in words:
        assert w in msg, msg
    return msg


# ------------------------------------------------------------------------------ convolve, correlate
def conv_full(a, v): return np.convolve(a, v)
def conv_same(a, v): return np.convolve(a, v, mode="same")
def conv_valid(a, v): return np.convolve(a, v, "valid")
def corr_full(a, v): return np.correlate(a, v, "full")
def corr_same(a, v): return np.correlate(a, v, mode="same")
def corr_valid(a, v): return np.correlate(a, v)
def conv_int_mode(a, v): return np.convolve(a, v, mode=1)
def corr_int_mode(a, v): return np.correlate(a, v, 2)


_CONV = [(conv_full, np.convolve, "full"), (conv_same, np.convolve, "same"), (conv_valid, np.convolve, "valid"),
         (corr_full, np.correlate, "full"), (corr_same, np.correlate, "same"), (corr_valid, np.correlate, "valid"),
         (conv_int_mode, np.convolve, "same"), (corr_int_mode, np.correlate, "full")]


@pytest.mark.parametrize("fn,op,mode", _CONV, ids=[c[0].__name__ for c in _CONV])
@pytest.mark.parametrize("m,n", [(7, 4), (4, 7), (5, 5), (6, 1), (1, 3), (2, 6)])
def test_convolution_adjoint_is_numpys_jacobian_transposed(fn, op, mode, m, n):
    """Linear in each operand: the gradient for cotangent w must be J^T w, J built column by column
    from numpy's own results on unit vectors (known numbers, no finite differences)."""
    a, v = rng.standard_normal(m), rng.standard_normal(n)
    out = fn(a, v)
    w = rng.standard_normal(out.shape)
    _, pullback = differentiate(fn, wrt=("a", "v")).vjp(a, v)
    ga, gv = pullback(w)
    ja = np.stack([op(e, v, mode) for e in np.eye(m)], axis=1)
    jv = np.stack([op(a, e, mode) for e in np.eye(n)], axis=1)
    np.testing.assert_allclose(ga, ja.T @ w, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gv, jv.T @ w, rtol=1e-12, atol=1e-12)
    dot_check(fn, (a, v), ("a", "v"))


def conv_scalar(a, s): return np.sum(np.sin(np.convolve(a, s, "same")))
def corr_loss(a, v): return np.sum(np.sin(1.3 * np.correlate(a, v, "same") + 0.2))


def test_convolution_with_a_number_and_a_nonlinear_loss():
    a = rng.standard_normal(5)
    ga, gs = fd_check(conv_scalar, (a, 0.7), ("a", "s"))
    np.testing.assert_allclose(ga, 0.7 * np.cos(0.7 * a))
    np.testing.assert_allclose(gs, np.sum(a * np.cos(0.7 * a)))
    fd_check(corr_loss, (rng.standard_normal(4), rng.standard_normal(9)), ("a", "v"))


def test_convolution_adjoint_reads_like_numpy():
    src = differentiate(conv_same, wrt=("a", "v")).compiled_for(np.ones(6), np.ones(3)).seeded_source
    assert "np.correlate(" in src and "np.pad(" in src and "    for " not in src


# ------------------------------------------------------------------------------ interp
XP = np.array([-1.0, -0.2, 0.3, 0.8, 1.5])
FP = np.array([0.4, -0.7, 1.1, 0.2, 0.9])
XQ = np.array([-1.4, -0.9, -0.1, 0.05, 0.55, 1.2, 1.7, 2.3])  # two below, two above, inside off the knots


def interp_all(x, xp, fp, left, right): return np.interp(x, xp, fp, left, right)
def interp_kw(x, xp, fp, left): return np.interp(x, xp, fp, left=left)
def interp_plain(x, xp, fp): return np.interp(x, xp, fp)
def interp_loss(x, xp, fp, left, right): return np.sum(np.sin(2.0 * np.interp(x, xp, fp, left, right)))
def interp_scalar(x, fp): return np.interp(x, XP, fp) ** 2


def test_interp_against_finite_differences_in_every_argument():
    fd_check(interp_loss, (XQ, XP, FP, -0.3, 0.6), ("x", "xp", "fp", "left", "right"))
    dot_check(interp_all, (XQ, XP, FP, -0.3, 0.6), ("x", "xp", "fp", "left", "right"))
    dot_check(interp_kw, (XQ.reshape(2, 4), XP, FP, 0.25), ("x", "xp", "fp", "left"))
    dot_check(interp_plain, (XQ, XP, FP), ("x", "xp", "fp"))
    fd_check(interp_scalar, (0.41, FP), ("x", "fp"))


def test_interp_known_derivatives():
    """d/dx is the slope of the segment numpy reads (the right one at a knot, the last one at
    xp[-1]) and 0 outside; fp gets the two interpolation weights, and fp[0]/fp[-1] the cotangent of
    the points outside when left/right are not given."""
    x = np.array([-1.4, -0.1, 0.3, 1.5, 2.0])        # below, inside, at a knot, at xp[-1], above
    _, pullback = differentiate(interp_plain, wrt=("x", "fp")).vjp(x, XP, FP)
    gx, gfp = pullback(np.ones(5))
    slopes = np.diff(FP) / np.diff(XP)
    np.testing.assert_allclose(gx, [0.0, slopes[1], slopes[2], slopes[3], 0.0])
    t = (-0.1 - XP[1]) / (XP[2] - XP[1])
    np.testing.assert_allclose(gfp, [1.0, 1 - t, t + 1.0, 0.0, 1.0 + 1.0])
    _, pullback = differentiate(interp_all, wrt=("fp", "left", "right")).vjp(x, XP, FP, -5.0, 5.0)
    gfp, gl, gr = pullback(np.ones(5))
    np.testing.assert_allclose(gfp, [0.0, 1 - t, t + 1.0, 0.0, 1.0])
    assert gl == 1.0 and gr == 1.0


def test_interp_with_one_knot():
    x = np.array([-0.5, 0.2, 0.9])
    _, pullback = differentiate(interp_all, wrt=("x", "fp", "left")).vjp(x, np.array([0.2]), np.array([3.0]), 1.5, None)
    gx, gfp, gl = pullback(np.array([1.0, 2.0, 4.0]))
    np.testing.assert_allclose(gx, 0.0)
    np.testing.assert_allclose(gfp, [6.0])          # at the knot, and above it (right is None)
    assert gl == 1.0


def test_interp_float32_gradients_stay_float32():
    g = differentiate(interp_scalar, wrt=("x", "fp")).grad(np.float32(0.41), FP.astype(np.float32))
    assert g[1].dtype == np.float32


def interp_period(x, xp, fp): return np.interp(x, xp, fp, period=2.0)
def interp_period_positional(x, xp, fp): return np.interp(x, xp, fp, None, None, 2.0)


@pytest.mark.parametrize("fn", [interp_period, interp_period_positional])
def test_interp_period_is_refused_by_name(fn):
    refused(fn, (XQ, XP, FP), "period=", "not supported")


# ------------------------------------------------------------------------------ trapezoid
def trap_dx(y, dx): return np.trapezoid(np.sin(y), dx=dx)
def trap_x(y, x): return np.trapezoid(y, x, axis=0)
def trap_x_last(y, x): return np.trapezoid(y, x)
def trap_plain(y): return np.trapezoid(y)


def test_trapezoid_known_weights():
    y = rng.standard_normal(5)
    g = differentiate(trap_plain).grad(y)
    np.testing.assert_allclose(g, [0.5, 1.0, 1.0, 1.0, 0.5])
    x = np.array([0.0, 0.5, 2.0, 2.5])
    y2 = rng.standard_normal((4, 3))
    gy, gx = differentiate(trap_x, wrt=("y", "x")).grad(y2, x, seed=np.ones(3))
    np.testing.assert_allclose(gy, np.repeat([[0.25], [1.0], [1.0], [0.25]], 3, axis=1))
    mid = (y2[1:] + y2[:-1]).sum(axis=1) / 2      # x_k gets m_{k-1} - m_k
    np.testing.assert_allclose(gx, np.concatenate([[0.0], mid]) - np.concatenate([mid, [0.0]]))


@pytest.mark.parametrize("fn,args,wrt", [
    (trap_dx, (rng.standard_normal((3, 5)), 0.37), ("y", "dx")),
    (trap_x, (rng.standard_normal((4, 3)), np.cumsum(rng.random(4))), ("y", "x")),
    (trap_x, (rng.standard_normal((4, 3)), np.cumsum(rng.random((4, 3)), axis=0)), ("y", "x")),
    (trap_x, (rng.standard_normal((4, 3)), np.cumsum(rng.random((4, 1)), axis=0)), ("y", "x")),  # broadcast x
    (trap_x_last, (rng.standard_normal((2, 3, 4)), np.cumsum(rng.random(4))), ("y", "x")),
    (trap_plain, (rng.standard_normal((2, 1)),), ("y",)),                                       # one point: 0
], ids=["dx", "x_1d", "x_nd", "x_broadcast", "last_axis", "one_point"])
def test_trapezoid_forward_and_reverse(fn, args, wrt):
    dot_check(fn, args, wrt)
    f = differentiate(fn, wrt=wrt)
    out = fn(*args)
    _, pullback = f.vjp(*args)
    for g, a in zip(pullback(np.ones(np.shape(out))), args):
        assert np.shape(g) == np.shape(a)


def trap_array_dx(y, d): return np.trapezoid(y, dx=d)


def test_trapezoid_array_dx_is_refused():
    refused(trap_array_dx, (np.ones((2, 3)), np.ones(3)), "an array dx")


if hasattr(np, "trapz"):
    def trapz_old(y, x): return np.trapz(y, x)

    def test_trapz_where_numpy_still_has_it():
        dot_check(trapz_old, (rng.standard_normal(5), np.cumsum(rng.random(5))), ("y", "x"))


# ------------------------------------------------------------------------------ polyval
def poly(p, x): return np.polyval(p, x)
def poly_loss(p, x): return np.sum(np.tanh(np.polyval(p, x)))
def poly_2d(p, x): return np.sum(np.polyval(p, x))


def test_polyval_known_derivatives():
    p = np.array([2.0, -3.0, 0.5, 4.0])                # 2 x^3 - 3 x^2 + 0.5 x + 4
    gp, gx = differentiate(poly, wrt=("p", "x")).grad(p, 1.5)
    np.testing.assert_allclose(gp, [1.5 ** 3, 1.5 ** 2, 1.5, 1.0])
    np.testing.assert_allclose(gx, 6 * 1.5 ** 2 - 6 * 1.5 + 0.5)
    gp, gx = differentiate(poly, wrt=("p", "x")).grad(np.array([3.0]), np.array([0.2, 0.4]), seed=np.ones(2))
    np.testing.assert_allclose(gp, [2.0])
    np.testing.assert_allclose(gx, [0.0, 0.0])       # a constant polynomial


@pytest.mark.parametrize("x", [0.3, rng.standard_normal(5), rng.standard_normal((2, 3))], ids=["number", "1d", "2d"])
def test_polyval_forward_and_reverse(x):
    p = rng.standard_normal(5)
    fd_check(poly_loss, (p, x), ("p", "x"))
    if np.ndim(x):
        dot_check(poly, (p, x), ("p", "x"))


def test_polyval_of_2d_coefficients_is_refused():
    refused(poly_2d, (np.ones((2, 2)), np.ones(2)), "coefficients p that are not a 1-D array")


# ------------------------------------------------------------------------------ cov, corrcoef
def cov1(m): return np.cov(m)
def cov_cols(m): return np.cov(m, rowvar=False)
def cov_bias(m): return np.cov(m, bias=True)
def cov_ddof(m): return np.cov(m, ddof=2)
def cov_two(m, y): return np.cov(m, y)
def cov_two_cols(m, y): return np.cov(m, y, rowvar=False)
def corr1(m): return np.corrcoef(m)
def corr_cols(m): return np.corrcoef(m, rowvar=False)
def corr_two(m, y): return np.corrcoef(m, y)


_COV = [(cov1, (rng.standard_normal((3, 6)),)), (cov1, (rng.standard_normal(6),)),
        (cov_cols, (rng.standard_normal((6, 3)),)), (cov_bias, (rng.standard_normal((2, 5)),)),
        (cov_ddof, (rng.standard_normal((3, 7)),)), (cov_two, (rng.standard_normal((2, 5)), rng.standard_normal(5))),
        (cov_two, (rng.standard_normal(5), rng.standard_normal((3, 5)))),
        (cov_two_cols, (rng.standard_normal((5, 2)), rng.standard_normal((5, 3)))),
        (cov_two_cols, (rng.standard_normal((5, 2)), rng.standard_normal((1, 5)))),  # y's single row: one variable
        (corr1, (rng.standard_normal((3, 6)),)), (corr_cols, (rng.standard_normal((6, 4)),)),
        (corr_two, (rng.standard_normal(6), rng.standard_normal((2, 6))))]


@pytest.mark.parametrize("fn,args", _COV, ids=[f"{c[0].__name__}_{i}" for i, c in enumerate(_COV)])
def test_cov_and_corrcoef_forward_and_reverse(fn, args):
    names = ("m", "y")[:len(args)]
    dot_check(fn, args, names)


def cov_loss(m, y): return np.sum(np.sin(np.cov(m, y, rowvar=False, ddof=0)))
def corr_loss2(m, y): return np.sum(np.sin(3.0 * np.corrcoef(m, y)))


def test_cov_and_corrcoef_against_finite_differences():
    fd_check(cov_loss, (rng.standard_normal((6, 2)), rng.standard_normal(6)), ("m", "y"))
    fd_check(corr_loss2, (rng.standard_normal((2, 7)), rng.standard_normal((2, 7))), ("m", "y"))


def test_cov_known_numbers():
    """cov of one variable is its variance: m gets 2 (m - mean) / (N - ddof)."""
    m = rng.standard_normal(6)
    g = differentiate(cov1).grad(m)
    np.testing.assert_allclose(g, 2 * (m - m.mean()) / 5)
    src = differentiate(cov_cols).compiled_for(np.ones((5, 3))).seeded_source
    assert "m.mean(axis=0)" in src and "@" in src and "    for " not in src


def test_corrcoef_of_one_variable_and_cov_of_one_observation_have_zero_gradient():
    np.testing.assert_array_equal(differentiate(corr1).grad(rng.standard_normal(5)), np.zeros(5))
    np.testing.assert_array_equal(differentiate(cov_bias).grad(rng.standard_normal((3, 1)), seed=np.ones((3, 3))),
                                  np.zeros((3, 1)))


def test_cov_float32_gradient_stays_float32():
    m = rng.standard_normal((2, 5)).astype(np.float32)
    assert differentiate(cov1).grad(m, seed=np.ones((2, 2))).dtype == np.float32
    assert differentiate(corr1).grad(m, seed=np.ones((2, 2))).dtype == np.float32


def cov_fweights(m): return np.cov(m, fweights=np.array([1, 2, 1]))
def cov_aweights(m): return np.cov(m, None, True, False, None, None, np.array([1.0, 2.0, 1.0]))
def cov_dtype(m): return np.cov(m, dtype=np.float32)
def corr_dtype(m): return np.corrcoef(m, dtype=np.float32)


@pytest.mark.parametrize("fn,word", [(cov_fweights, "fweights="), (cov_aweights, "aweights="), (cov_dtype, "dtype="),
                                     (corr_dtype, "dtype=")])
def test_cov_options_refused_by_name(fn, word):
    refused(fn, (rng.standard_normal((2, 3)),), word, "not supported")


# ------------------------------------------------------------------------------ meshgrid
def mesh_unpack(x, y):
    X, Y = np.meshgrid(x, y)
    return np.sin(X) * Y + X


def mesh_index(x, y): return np.meshgrid(x, y)[0] * 2.0 + np.meshgrid(x, y)[1]
def mesh_ij(x, y, z): return np.meshgrid(x, y, z, indexing="ij")[1] * np.meshgrid(x, y, z, indexing="ij")[2]
def mesh_xy3(x, y, z): return np.meshgrid(x, y, z)[0] + np.meshgrid(x, y, z)[2] ** 2
def mesh_sparse(x, y): return np.meshgrid(x, y, sparse=True)[0] * np.meshgrid(x, y, sparse=True)[1]
def mesh_number(x, s): return np.meshgrid(x, s)[1] * np.meshgrid(x, s)[0]


def mesh_weighted(x, y):
    X, Y = np.meshgrid(x, y)
    return np.sum(X * np.arange(12.0).reshape(4, 3)) + np.sum(Y ** 2)


def test_meshgrid_unpacks_and_indexes_with_numpys_values():
    x, y = rng.standard_normal(3), rng.standard_normal(4)
    for fn in (mesh_unpack, mesh_index, mesh_sparse):
        dot_check(fn, (x, y), ("x", "y"))
    gx, gy = differentiate(mesh_weighted, wrt=("x", "y")).grad(x, y)
    np.testing.assert_allclose(gx, np.arange(12.0).reshape(4, 3).sum(axis=0))
    np.testing.assert_allclose(gy, 2 * y * 3)


def test_meshgrid_of_three_inputs_in_both_indexings_and_numbers():
    args = (rng.standard_normal(2), rng.standard_normal((2, 2)), rng.standard_normal(3))  # a 2-D input is flattened
    dot_check(mesh_ij, args, ("x", "y", "z"))
    dot_check(mesh_xy3, args, ("x", "y", "z"))
    dot_check(mesh_number, (rng.standard_normal(3), 0.4), ("x", "s"))


def mesh_copy(x, y): return np.meshgrid(x, y, copy=False)[0]
def mesh_bad_indexing(x, y): return np.meshgrid(x, y, indexing="yx")[0]


@pytest.mark.parametrize("fn,word", [(mesh_copy, "copy=False"), (mesh_bad_indexing, "indexing='yx'")])
def test_meshgrid_options_refused_by_name(fn, word):
    refused(fn, (np.ones(2), np.ones(3)), word)


# ------------------------------------------------------------------------------ shapes known at run time only
# (a named boolean mask's result has a length shape inference cannot know: the rows fall back to
# runtime_signal's helpers, which apply the same formulas)
def _kept(x):
    keep = x > -10.0
    return x[keep]


def rt_conv(a, v): return np.convolve(_kept(a), v, "same")
def rt_corr(a, v): return np.correlate(a, _kept(v), "valid")
def rt_cov(m, y): return np.cov(_kept(m).reshape(2, -1), y, rowvar=True, ddof=0)
def rt_cov_cols(m): return np.cov(_kept(m).reshape(-1, 2), rowvar=False)
def rt_corr2(m, y): return np.corrcoef(_kept(m).reshape(2, -1), y)
def rt_corr_cols(m): return np.corrcoef(_kept(m).reshape(-1, 3), rowvar=False)


def rt_mesh(x, y):
    X, Y = np.meshgrid(_kept(x), y)
    return X * Y


@pytest.mark.parametrize("fn,args,helper", [
    (rt_conv, (rng.standard_normal(6), rng.standard_normal(3)), "convolve_adjoint("),
    (rt_corr, (rng.standard_normal(3), rng.standard_normal(7)), "convolve_adjoint("),
    (rt_cov, (rng.standard_normal(8), rng.standard_normal(4)), "cov_adjoint("),
    (rt_cov_cols, (rng.standard_normal(10),), "cov_adjoint("),
    (rt_corr2, (rng.standard_normal(10), rng.standard_normal((2, 5))), "corrcoef_adjoint("),
    (rt_corr_cols, (rng.standard_normal(12),), "corrcoef_adjoint("),
    (rt_mesh, (rng.standard_normal(4), rng.standard_normal(3)), "reshape(np.shape("),
], ids=["convolve", "correlate", "cov", "cov_cols", "corrcoef", "corrcoef_cols", "meshgrid"])
def test_rows_with_shapes_known_at_run_time_only(fn, args, helper):
    import inspect
    names = tuple(inspect.signature(fn).parameters)[:len(args)]
    src = differentiate(fn, wrt=names).compiled_for(*args).seeded_source
    assert helper in src, src
    dot_check(fn, args, names)


# ------------------------------------------------------------------------------ second derivatives
def hess_poly(x, p): return np.sum(np.polyval(p, x) ** 2)
def hess_poly_p(p, x): return np.sum(np.sin(np.polyval(p, x)))


def hess_mesh(x, y):
    X, Y = np.meshgrid(x, y, indexing="ij")
    return np.sum(np.sin(X * Y))


def hess_conv(a, v): return np.sum(np.convolve(a, v, "same") ** 3)
def hess_interp(x, fp): return np.sum(np.interp(x, XP, fp) ** 2)


@pytest.mark.parametrize("fn", [hess_poly, hess_poly_p, hess_mesh, hess_conv])
def test_second_derivatives_against_differences_of_the_gradient(fn):
    """polyval's derivatives call np.polyder and np.vander, meshgrid's parts are a row of their own:
    the generated code is differentiated again (the Hessian against differences of the gradient)."""
    x, other = rng.standard_normal(4), rng.standard_normal(3)
    name = fn.__code__.co_varnames[0]
    H = s2sgrad.hessian(fn, wrt=name)(x, other)
    grad = s2sgrad.grad(fn, wrt=name)
    eps = 1e-6
    cols = [(grad(x + eps * e, other) - grad(x - eps * e, other)) / (2 * eps) for e in np.eye(4)]
    np.testing.assert_allclose(H, np.stack(cols, axis=1), rtol=1e-6, atol=1e-7)


def test_second_derivatives_of_interp_are_refused_naming_its_helper():
    with pytest.raises(S2SGradError, match="second derivatives.*interp_tangent"):
        s2sgrad.hessian(hess_interp, wrt="x")(XQ[:4], FP)


def vander_dec(x): return np.vander(x, 4)
def vander_inc(x): return np.vander(x, increasing=True)
def polyder2(p): return np.polyder(p, 2)


def test_vander_and_polyder_known_numbers():
    x = np.array([0.5, -2.0, 0.0])
    g = differentiate(vander_dec).grad(x, seed=np.ones((3, 4)))
    np.testing.assert_allclose(g, 3 * x ** 2 + 2 * x + 1)
    g = differentiate(vander_inc).grad(x, seed=np.ones((3, 3)))
    np.testing.assert_allclose(g, 1 + 2 * x)
    g = differentiate(polyder2).grad(np.array([1.0, 2.0, 3.0, 4.0]), seed=np.array([1.0, 10.0]))
    np.testing.assert_allclose(g, [6.0, 20.0, 0.0, 0.0])   # (6 p0 x + 2 p1): factors 6 and 2
    dot_check(vander_dec, (rng.standard_normal(5),), ("x",))
    dot_check(polyder2, (rng.standard_normal(5),), ("p",))
