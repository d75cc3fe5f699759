"""How to call the rule-table rows a survey of real programs asked for: scipy.special.expit/log_expit/
logit, scipy.stats.norm.logpdf/pdf/cdf/logcdf/ppf, scipy.ndimage.map_coordinates, gamma/beta/expon's logpdf/pdf, poisson's logpmf/pmf, np.lib.stride_tricks.sliding_window_view, and the
rows without a derivative (builtin round, the index constructors, np.broadcast_shapes).  Same format
as rule_table_specs.py; rule_specs_numpy.py merges these in.  The walks' modules import expit,
log_expit, logit, norm, gamma_dist, beta_dist, expon and poisson (tests/test_rule_table_soundness.py)."""
import numpy as np

from rule_table_specs_base import F, K, S

rng = np.random.default_rng(29)
X = rng.uniform(-0.9, 0.9, (3, 4))
T3 = rng.uniform(-0.9, 0.9, (2, 3, 4))
V = rng.uniform(-0.9, 0.9, 6)
L4 = rng.uniform(-0.5, 0.5, 4)                 # locations, broadcast along X's last axis
S31 = rng.uniform(0.6, 1.4, (3, 1))             # scales, broadcast along X's first axis
U01 = rng.uniform(0.1, 0.9, (3, 4))             # inside (0, 1): logit
SQ = rng.uniform(-0.9, 0.9, (3, 3))
NI = np.array([[0.3, 1.2, -0.7, 2.4], [-1.6, 0.8, 3.3, -2.2], [1.7, -0.4, 0.2, 2.9]])  # off integers and halves
SWV = "np.lib.stride_tricks.sliding_window_view"
TRI = SQ + 3.0 * np.eye(3)                      # both triangles well conditioned
PD = SQ @ SQ.T + 3.0 * np.eye(3)                # positive definite
FAC = np.linalg.cholesky(PD) + np.triu(SQ, 1)   # cho_factor's factor: other triangle a's own entries

ROWS = {
    # scipy.special (rules/scipy_rows.py)
    "scipy_expit": ("expit", [F(3 * X)]),
    "scipy_log_expit": ("log_expit", [F(4 * X)]),
    "scipy_logit": ("logit", [F(U01)]),
    # scipy.stats.norm, in x, loc and scale
    "scipy_norm_logpdf": ("norm.logpdf", [F(X, kw="x"), F(L4, kw="loc"), F(S31, kw="scale")]),
    "scipy_norm_pdf": ("norm.pdf", [F(X, kw="x"), F(L4, kw="loc"), F(S31, kw="scale")]),
    "scipy_norm_cdf": ("norm.cdf", [F(2 * X, kw="x"), F(L4, kw="loc"), F(S31, kw="scale")]),
    "scipy_norm_logcdf": ("norm.logcdf", [F(3 * X, kw="x"), F(L4, kw="loc"), F(S31, kw="scale")]),
    "scipy_norm_ppf": ("norm.ppf", [F(U01, kw="q"), F(L4, kw="loc"), F(S31, kw="scale")]),
    # scipy.stats.gamma, beta, expon, poisson (rules/scipy_dists.py), in every argument
    "scipy_gamma_logpdf": ("gamma_dist.logpdf", [F(1.5 + X, kw="x"), F(2.5 + L4, kw="a"), F(L4 - 1.0, kw="loc"),
                                                F(S31, kw="scale")]),
    "scipy_gamma_pdf": ("gamma_dist.pdf", [F(1.5 + X, kw="x"), F(2.5 + L4, kw="a"), F(L4 - 1.0, kw="loc"),
                                          F(S31, kw="scale")]),
    "scipy_beta_logpdf": ("beta_dist.logpdf", [F(U01, kw="x"), F(2.0 + L4, kw="a"), F(1.5 - L4, kw="b")]),
    "scipy_beta_pdf": ("beta_dist.pdf", [F(0.5 * U01, kw="x"), F(2.0 + L4, kw="a"), F(3.0 - L4, kw="b"),
                                        F(0.05, kw="loc"), F(1.2, kw="scale")]),
    "scipy_expon_logpdf": ("expon.logpdf", [F(1.2 + X, kw="x"), F(L4 - 0.5, kw="loc"), F(S31, kw="scale")]),
    "scipy_expon_pdf": ("expon.pdf", [F(1.2 + X, kw="x"), F(L4 - 0.5, kw="loc"), F(S31, kw="scale")]),
    "scipy_poisson_logpmf": ("poisson.logpmf", [S(np.array([0, 1, 3, 6]), kw="k"), F(1.5 + L4, kw="mu")]),
    "scipy_poisson_pmf": ("poisson.pmf", [S(np.array([0, 1, 3, 6]), kw="k"), F(2.5 + L4, kw="mu")]),
    # scipy.signal's 2-D convolution (rules/signal2d.py)
    "scipy_convolve2d": ("convolve2d", [F(X, kw="in1"), F(SQ[:2, :3].copy(), kw="in2"), K("same", kw="mode"),
                                        K("symm", kw="boundary")]),
    "scipy_correlate2d": ("correlate2d", [F(X, kw="in1"), F(SQ[:2, :2].copy(), kw="in2"), K("full", kw="mode"),
                                          K("wrap", kw="boundary")]),
    # scipy.ndimage.map_coordinates, linear, in the image and the coordinates (rules/ndimage.py); off the samples
    "scipy_map_coordinates": ("map_coordinates", [F(X, kw="input"), F(np.array([[0.3, 1.6, 2.7, -0.4], [1.2, 3.3, 0.45, 2.8]]),
                                                                      kw="coordinates"), K(1, kw="order"),
                                                  K("nearest", kw="mode")]),
    # scipy.linalg's triangular and Cholesky solvers and exponential (rules/scipy_linalg.py); cho_factor's
    # factor and cho_solve as the rows their pair is written as, and np.linalg.multi_dot's rank check
    "scipy_solve_triangular": ("solve_triangular", [F(TRI, kw="a"), F(X[:, :2].copy(), kw="b"), K(True, kw="lower")]),
    "scipy_cho_factor": ("scipy_cho_factor", [F(PD, kw="a"), K(True, kw="lower")]),
    "scipy_cho_solve": ("scipy_cho_solve", [F(FAC, kw="c"), S(True), F(L4[:3].copy(), kw="b")]),
    "scipy_expm": ("expm", [F(0.5 * SQ, kw="A")]),
    "expm_frechet": ("expm_frechet", [F(0.5 * SQ, kw="a"), F(SQ.T.copy(), kw="e")]),
    "multi_dot_checked": ("multi_dot_checked", [F(SQ), F(TRI), F(PD)]),
    # sliding windows (rules/windows.py)
    SWV: (SWV, [F(X, kw="x"), S((2, 3), kw="window_shape")]),
    # no derivative (rules/indices.py)
    "round": ("round", [F(1.37)]),
    "np.diag_indices_from": ("np.diag_indices_from", [F(SQ, kw="arr")]),
    "np.tril_indices_from": ("np.tril_indices_from", [F(SQ, kw="arr"), S(-1, kw="k")]),
    "np.triu_indices_from": ("np.triu_indices_from", [F(X, kw="arr"), S(1, kw="k")]),
    # np.add.at(a, idx, v) written as a statement is a = scatter_add(a, idx, v) (rules/scatter.py)
    "scatter_add": ("scatter_add", [F(X), S(np.array([0, 2, 0])), F(rng.uniform(-0.9, 0.9, (3, 4)))]),
    "np.bincount": ("np.bincount", [S(np.array([0, 2, 2, 4, 1])), F(V[:5].copy(), kw="weights"), K(6, kw="minlength")]),
}

MORE = {
    "scipy_norm_ppf": [("norm.ppf", [F(U01)]), ("norm.ppf", [F(0.3), F(L4), F(S31)])],
    "scipy_expit": [("expit", [F(0.35)])],
    "scipy_norm_logpdf": [("norm.logpdf", [F(X)]), ("norm.logpdf", [F(X), K(S31, kw="scale")]),
                          ("norm.logpdf", [F(T3), F(0.2), F(0.7)])],
    "scipy_norm_pdf": [("norm.pdf", [F(X), F(L4)])],
    "scipy_norm_cdf": [("norm.cdf", [F(X)]), ("norm.cdf", [F(0.3), F(L4), F(S31)])],
    "scipy_norm_logcdf": [("norm.logcdf", [F(-8.0 + X)]), ("norm.logcdf", [F(X), K(2.5, kw="scale")])],
    SWV: [(SWV, [F(V), S(3)]), (SWV, [F(T3), S(2), S(-1, kw="axis")]),
          (SWV, [F(T3), S((2, 2)), K((1, 1), kw="axis")]), (SWV, [F(X), S(2), K(0, kw="axis"), K(False, kw="writeable")])],
    "scatter_add": [("scatter_add", [F(X), S((np.array([1, 1]), np.array([0, 3]))), F(0.5)]),
               ("scatter_add", [F(X), S(np.array([2, 2, 2])), F(L4)])],
    "round": [("round", [F(2.71), S(1)]), ("round({0}[1, 2], 1)", [F(NI)]), ("round({0}[0])", [F(NI[:, 1].copy())])],
}

# rows with no floating input
NO_FLOAT_INPUT = {
    "np.diag_indices": "integer sizes only", "np.tril_indices": "integer sizes and offset only",
    "np.triu_indices": "integer sizes and offset only",
    "np.broadcast_shapes": "shapes only (what np.random.normal's rewrite reads; hvp through it: "
                           "tests/test_rules_survey.py)",
}

# scipy.special's gamma, error, Bessel and entropy functions, softmax (rules/scipy_special.py)
import rule_specs_scipy_special as _special  # noqa: E402

ROWS.update(_special.ROWS)
MORE.update(_special.MORE)

# np.fft and the complex cases of the elementwise rows (rules/fft.py)
import rule_specs_fft as _fft  # noqa: E402

ROWS.update(_fft.ROWS)
for _op, _more in _fft.MORE.items():
    MORE.setdefault(_op, []).extend(_more)
