"""Helpers the generated code calls for the rows of rules/scipy_rows.py and rules/windows.py, and for
np.cross's adjoint where an operand's shape is known only at run time (rules/contract.py).

scipy is optional: each scipy function is imported when first called (a program that calls one
imported it already), so s2sgrad itself imports without scipy.  Guarantees:
- `scipy_expit`, `scipy_log_expit`, `scipy_logit` are scipy.special's functions, and
  `scipy_norm_logpdf/pdf/cdf/logcdf(x, loc, scale)` scipy.stats.norm's methods, called with the same
  arguments (the rows' names in generated code, so a user's variable named `expit` or `norm` never
  hides them); so are `scipy_gammaln`, `scipy_digamma`, ... `scipy_softmax` (the rows of
  rules/scipy_special.py: the list `_SPECIAL`);
- `sliding_window_adjoint(g, shape, window_shape, axis)` is the exact adjoint of
  `np.lib.stride_tricks.sliding_window_view(x, window_shape, axis)` for an x of that shape: each
  window's cotangent added back where the window reads x, vectorized by a Python loop over the
  window offsets only (one slice addition per offset), a fresh array in g's dtype;
- `cross_adjoint(g, a, b, i)` is the adjoint of np.cross(a, b) in argument i (a: b x g, b: g x a),
  summed down to that argument's shape; operands whose last axes are not both 3 raise a ValueError
  that says so (2-vectors give a scalar z-component, whose adjoint s2sgrad does not write);
- `scipy_solve_triangular` is scipy.linalg.solve_triangular (rules/scipy_linalg.py), but refuses
  overwrite_b=True; `solve_triangular_adjoint` and `solve_triangular_tangent` are its row's
  derivatives where the ranks are known only when they run (an a that is not one matrix, or a b of
  more than two dimensions, is an ArgumentError there); likewise `scipy_cho_factor` (the factor of
  cho_factor's pair) and `scipy_cho_solve`, with `cho_factor_adjoint`, `cho_factor_tangent`,
  `cho_solve_adjoint` and `cho_solve_tangent`; `scipy_expm` is scipy.linalg.expm, and
  `expm_frechet(a, e)` its Frechet derivative L(A, E) from the block matrix [[A, E], [0, A]], with
  `expm_frechet_adjoint` and `expm_frechet_tangent` the same block form one size up.
Registered in the generated code's namespace by runtime.py.
"""
from __future__ import annotations

import itertools

import numpy as np


# ------------------------------------------------------------------------------ scipy.special
def scipy_expit(x):
    """scipy.special.expit(x) = 1 / (1 + exp(-x))."""
    from scipy.special import expit
    return expit(x)


def scipy_log_expit(x):
    """scipy.special.log_expit(x) = -log(1 + exp(-x))."""
    from scipy.special import log_expit
    return log_expit(x)


def scipy_logit(x):
    """scipy.special.logit(x) = log(x / (1 - x))."""
    from scipy.special import logit
    return logit(x)


def _special(name, signature, doc):
    """The helper `scipy_<name>` that calls scipy.special.<name> (imported at the first call)."""
    def helper(*args, **kwargs):
        import scipy.special
        return getattr(scipy.special, name)(*args, **kwargs)
    helper.__name__ = helper.__qualname__ = f"scipy_{name}"
    helper.__doc__ = f"scipy.special.{name}{signature}: {doc}."
    return helper


# the functions of rules/scipy_special.py, called with the arguments the user gave them
_SPECIAL = [_special(*spec) for spec in (
    ("gammaln", "(x)", "log |Gamma(x)|"), ("loggamma", "(x)", "log Gamma(x), principal branch"),
    ("gamma", "(x)", "Gamma(x)"), ("digamma", "(x)", "psi(x) = (log Gamma)'(x)"),
    ("polygamma", "(n, x)", "the n-th derivative of psi"),
    ("multigammaln", "(a, d)", "the log of the multivariate gamma function of dimension d"),
    ("betaln", "(a, b)", "log |B(a, b)|"), ("beta", "(a, b)", "B(a, b)"), ("erf", "(x)", "the error function"),
    ("erfc", "(x)", "1 - erf(x)"), ("erfcx", "(x)", "exp(x^2) erfc(x)"), ("erfinv", "(y)", "erf's inverse"),
    ("erfcinv", "(y)", "erfc's inverse"), ("ndtr", "(x)", "the standard normal CDF"),
    ("log_ndtr", "(x)", "the log of the standard normal CDF"), ("ndtri", "(p)", "ndtr's inverse"),
    ("xlogy", "(x, y)", "x log(y), 0 where x == 0"), ("xlog1py", "(x, y)", "x log1p(y), 0 where x == 0"),
    ("entr", "(x)", "-x log(x)"), ("kl_div", "(x, y)", "x log(x / y) - x + y"),
    ("rel_entr", "(x, y)", "x log(x / y)"), ("i0", "(x)", "the modified Bessel function of order 0"),
    ("i1", "(x)", "the modified Bessel function of order 1"), ("i0e", "(x)", "exp(-|x|) i0(x)"),
    ("i1e", "(x)", "exp(-|x|) i1(x)"), ("k0", "(x)", "the modified Bessel function of the second kind, order 0"),
    ("k1", "(x)", "the modified Bessel function of the second kind, order 1"), ("k0e", "(x)", "exp(x) k0(x)"),
    ("k1e", "(x)", "exp(x) k1(x)"), ("softmax", "(x, axis=None)", "exp(x) / sum(exp(x)) along axis"),
    ("log_softmax", "(x, axis=None)", "x - logsumexp(x) along axis"))]


# ------------------------------------------------------------------------------ scipy.stats.norm
def scipy_norm_logpdf(x, loc=0.0, scale=1.0):
    """scipy.stats.norm.logpdf(x, loc, scale)."""
    from scipy.stats import norm
    return norm.logpdf(x, loc, scale)


def scipy_norm_pdf(x, loc=0.0, scale=1.0):
    """scipy.stats.norm.pdf(x, loc, scale)."""
    from scipy.stats import norm
    return norm.pdf(x, loc, scale)


def scipy_norm_cdf(x, loc=0.0, scale=1.0):
    """scipy.stats.norm.cdf(x, loc, scale)."""
    from scipy.stats import norm
    return norm.cdf(x, loc, scale)


def scipy_norm_ppf(q, loc=0.0, scale=1.0):
    """scipy.stats.norm.ppf(q, loc, scale): loc + scale * ndtri(q)."""
    from scipy.stats import norm
    return norm.ppf(q, loc, scale)


def scipy_norm_logcdf(x, loc=0.0, scale=1.0):
    """scipy.stats.norm.logcdf(x, loc, scale)."""
    from scipy.stats import norm
    return norm.logcdf(x, loc, scale)


# ------------------------------------------------------------------------------ sliding windows
def _window_axes(ndim, window_shape, axis):
    """numpy's reading of sliding_window_view's window_shape and axis (repeated axes allowed)."""
    window = tuple(int(w) for w in window_shape) if np.iterable(window_shape) else (int(window_shape),)
    if axis is None:
        axes = tuple(range(ndim))
    else:
        axes = tuple(int(a) for a in axis) if np.iterable(axis) else (int(axis),)
        axes = tuple(a + ndim if a < 0 else a for a in axes)
    if len(window) != len(axes):
        raise ValueError("sliding_window_view: window_shape and axis differ in length")
    return window, axes


def sliding_window_adjoint(g, shape, window_shape, axis=None):
    """x's contribution from the cotangent g of `sliding_window_view(x, window_shape, axis)`:
    out[i..., j...] = x[i + offsets(j)] (offsets summed per axis, so repeated axes add), so for
    each window offset j, x[the slice starting at offsets(j)] gets g[..., j]."""
    g = np.asarray(g)
    shape = tuple(shape)
    window, axes = _window_axes(len(shape), window_shape, axis)
    trimmed = list(shape)
    for a, w in zip(axes, window):
        trimmed[a] -= w - 1
    out = np.zeros(shape, dtype=g.dtype if g.dtype.kind in "fc" else np.float64)
    for offsets in itertools.product(*(range(w) for w in window)):
        start = [0] * len(shape)
        for a, j in zip(axes, offsets):
            start[a] += j
        out[tuple(slice(s, s + n) for s, n in zip(start, trimmed))] += g[(Ellipsis,) + offsets]
    return out


# ------------------------------------------------------------------------------ cross
def _summed_to(v, shape):
    """v summed down to `shape` (the operand np.cross broadcast against the other one)."""
    lead = v.ndim - len(shape)
    if lead > 0:
        v = v.sum(axis=tuple(range(lead)))
    axes = tuple(k for k, (n, m) in enumerate(zip(v.shape, shape)) if m == 1 and n != 1)
    return v.sum(axis=axes, keepdims=True) if axes else v


def cross_adjoint(g, a, b, i):
    """The adjoint of np.cross(a, b) in argument i, for 3-vectors along the last axes:
    <g, a x b> = <a, b x g> = <b, g x a>."""
    a, b = np.asarray(a), np.asarray(b)
    na, nb = (a.shape[-1] if a.ndim else 0), (b.shape[-1] if b.ndim else 0)
    if na != 3 or nb != 3:
        raise ValueError(f"np.cross is differentiated for 3-vectors along the last axis only; here the last "
                         f"axes have lengths {na} and {nb} (s2sgrad does not write the adjoint of 2-vectors' "
                         "scalar z-component: pad them with a zero third component)")
    v = np.cross(b, g) if i == 0 else np.cross(g, a)
    arg = a if i == 0 else b
    v = _summed_to(np.asarray(v), arg.shape)
    if arg.dtype.kind == "f" and v.dtype != arg.dtype:
        v = v.astype(arg.dtype)
    return v


def scipy_solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, check_finite=True):
    """scipy.linalg.solve_triangular with the same arguments (rules/scipy_linalg.py); overwrite_b=True,
    which lets scipy write into b, is an error (s2sgrad would not follow the write)."""
    if overwrite_b:
        from .errors import ArgumentError
        raise ArgumentError("scipy.linalg.solve_triangular with overwrite_b=True: scipy may write into b, which "
                            "s2sgrad does not follow; leave it False")
    from scipy.linalg import solve_triangular
    return solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal, check_finite=check_finite)


def _tri_ranks(a, x):
    if np.ndim(a) != 2 or np.ndim(x) not in (1, 2):
        from .errors import ArgumentError
        raise ArgumentError(f"scipy.linalg.solve_triangular of an a of shape {np.shape(a)} and a b of shape "
                            f"{np.shape(x)}: s2sgrad differentiates one matrix a and a b of one or two dimensions")


def _triangle(m, lower, unit):
    return np.tril(m, -1 if unit else 0) if lower else np.triu(m, 1 if unit else 0)


def solve_triangular_adjoint(g, a, x, trans, lower, unit, i):
    """The adjoint of x = solve_triangular(a, b, trans, lower, unit) in a (i = 0) or b (i = 1),
    where the ranks are known only when it runs (rules/scipy_linalg.py writes it out otherwise)."""
    _tri_ranks(a, x)
    u = scipy_solve_triangular(a, g, 1 - trans, lower, unit)
    if i == 1:
        return u
    left, right = (u, x) if trans == 0 else (x, u)
    return -_triangle(np.outer(left, right) if np.ndim(x) == 1 else left @ right.T, lower, unit)


def solve_triangular_tangent(a, x, da, db, trans, lower, unit):
    """The tangent of x = solve_triangular(a, b, ...) (da or db None: no tangent there)."""
    _tri_ranks(a, x)
    rhs = 0.0 if db is None else db
    if da is not None:
        dt = _triangle(da, lower, unit)
        rhs = rhs - (dt if trans == 0 else dt.T) @ x
    return scipy_solve_triangular(a, rhs * np.ones_like(x), trans, lower, unit)


def scipy_cho_factor(a, lower=False, check_finite=True):
    """The factor c of scipy.linalg.cho_factor(a, lower) (the pair's first item; rules/scipy_linalg.py
    writes the pair as (c, lower))."""
    from scipy.linalg import cho_factor
    return cho_factor(a, lower=lower, check_finite=check_finite)[0]


def scipy_cho_solve(c, lower, b, check_finite=True):
    """scipy.linalg.cho_solve((c, lower), b)."""
    from scipy.linalg import cho_solve
    return cho_solve((c, lower), b, check_finite=check_finite)


def _cho_ranks(c, x=None):
    if np.ndim(c) != 2 or x is not None and np.ndim(x) not in (1, 2):
        from .errors import ArgumentError
        raise ArgumentError(f"scipy.linalg.cho_factor/cho_solve of a matrix of shape {np.shape(c)}"
                            + (f" and a b of shape {np.shape(x)}" if x is not None else "")
                            + ": s2sgrad differentiates one 2-D matrix and a b of one or two dimensions")


def cho_factor_adjoint(gc, c, lower):
    """a's cotangent from c's, c = cho_factor(a, lower)[0]: the Cholesky adjoint of the factor's
    triangle onto a's same triangle, the other triangle's cotangent as it is (scipy leaves a's own
    entries there)."""
    from .runtime_linalg import cholesky_grad
    _cho_ranks(c)
    gc = np.reshape(gc, np.shape(c))
    if lower:
        return cholesky_grad(np.tril(gc), np.tril(c)) + np.triu(gc, 1)
    return cholesky_grad(np.triu(gc).T, np.triu(c).T).T + np.tril(gc, -1)


def cho_factor_tangent(c, da, lower):
    """c's tangent, c = cho_factor(a, lower)[0]: L Phi(L^-1 S L^-T) on the factor's triangle (S the
    symmetric tangent read from da's same triangle), da's own entries on the other."""
    _cho_ranks(c)
    da = np.reshape(da, np.shape(c)) if np.ndim(da) == 0 else da  # (a number: scipy's 1x1 matrix)
    low, s = (np.tril(c), np.tril(da) + np.tril(da, -1).T) if lower else (np.triu(c).T, np.triu(da).T + np.triu(da, 1))
    x = np.linalg.solve(low, np.linalg.solve(low, s).T)
    dl = low @ (np.tril(x) - 0.5 * np.diag(np.diag(x)))
    return dl + np.triu(da, 1) if lower else dl.T + np.tril(da, -1)


def _cho_step(c, lower, dc, x):
    """dA x for A = T T^T (lower, T = tril(c)) or U^T U (U = triu(c)), dT the same triangle of dc."""
    if lower:
        t, dt = np.tril(c), np.tril(dc)
        return dt @ (t.T @ x) + t @ (dt.T @ x)
    t, dt = np.triu(c), np.triu(dc)
    return dt.T @ (t @ x) + t.T @ (dt @ x)


def cho_solve_adjoint(g, c, lower, x, i):
    """The adjoint of x = cho_solve((c, lower), b) in c (i = 0) or b (i = 2)."""
    _cho_ranks(c, x)
    u = scipy_cho_solve(c, lower, g)
    if i == 2:
        return u
    m = np.outer(u, x) if np.ndim(x) == 1 else u @ x.T
    return -np.tril((m + m.T) @ np.tril(c)) if lower else -np.triu(np.triu(c) @ (m + m.T))


def cho_solve_tangent(c, lower, x, dc, db):
    """The tangent of x = cho_solve((c, lower), b) (dc or db None: no tangent there)."""
    _cho_ranks(c, x)
    rhs = np.zeros_like(x) if db is None else db
    if dc is not None:
        rhs = rhs - _cho_step(c, lower, dc, x)
    return scipy_cho_solve(c, lower, rhs * np.ones_like(x))


def scipy_expm(a):
    """scipy.linalg.expm (rules/scipy_linalg.py)."""
    from scipy.linalg import expm
    return expm(a)


def _block(a, e):
    """[[A, E], [0, A]] per matrix of a stack (A and E broadcast against each other)."""
    a, e = np.broadcast_arrays(np.asarray(a), np.asarray(e))
    top = np.concatenate([a, e], axis=-1)
    return np.concatenate([top, np.concatenate([np.zeros_like(a), a], axis=-1)], axis=-2)


def expm_frechet(a, e):
    """L(A, E), the Frechet derivative of expm at A in the direction E: the upper right block of
    expm([[A, E], [0, A]]) (per matrix of a stack; a number is scipy's 1x1 matrix)."""
    from scipy.linalg import expm
    if np.ndim(a) == 0:
        a, e = np.reshape(a, (1, 1)), np.reshape(e, (1, 1))
    n = np.shape(a)[-1]
    return expm(_block(a, e))[..., :n, n:]


def expm_adjoint(a, g):
    """A's cotangent for expm(A) = g's: L(A^T, g), summed back to A's shape where A is a number
    (scipy's 1x1 matrix); a vector is scipy's LinAlgError."""
    if np.ndim(a) == 0:
        return float(expm_frechet(np.reshape(a, (1, 1)), np.reshape(g, (1, 1)))[0, 0])
    return expm_frechet(np.swapaxes(a, -1, -2), g)


def expm_frechet_adjoint(a, e, g, i):
    """The adjoint of L(A, E) in A (i = 0) or E (i = 1): with M = [[A, E], [0, A]], M gets
    L(M^T, [[0, g], [0, 0]]); A the sum of its diagonal blocks, E its upper right block."""
    n = np.shape(a)[-1]
    m = _block(a, e)
    gm = np.zeros(np.broadcast_shapes(m.shape, np.shape(g)[:-2] + m.shape[-2:]))
    gm[..., :n, n:] = g
    out = expm_frechet(np.swapaxes(m, -1, -2), gm)
    got = out[..., :n, :n] + out[..., n:, n:] if i == 0 else out[..., :n, n:]
    arg = a if i == 0 else e
    return _summed_to(got, np.shape(arg))


def expm_frechet_tangent(a, e, da, de):
    """d L(A, E): the upper right block of L(M, dM), dM = [[dA, dE], [0, dA]] (None: no tangent)."""
    n = np.shape(a)[-1]
    da = np.zeros(np.shape(a)) if da is None else da
    de = np.zeros(np.shape(e)) if de is None else de
    return expm_frechet(_block(a, e), _block(da, de))[..., :n, n:]


_ALL = (scipy_expit, scipy_log_expit, scipy_expm, expm_frechet, expm_adjoint, expm_frechet_adjoint,
        expm_frechet_tangent, scipy_solve_triangular, solve_triangular_adjoint, solve_triangular_tangent,
        scipy_cho_factor, scipy_cho_solve, cho_factor_adjoint, cho_factor_tangent, cho_solve_adjoint,
        cho_solve_tangent, scipy_logit, scipy_norm_logpdf, scipy_norm_pdf, scipy_norm_cdf, scipy_norm_logcdf,
        scipy_norm_ppf, sliding_window_adjoint, cross_adjoint, *_SPECIAL)
NAMES = {f.__name__: f for f in _ALL}
