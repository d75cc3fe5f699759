"""How to call the rows of s2sgrad/rules/scipy_special.py (scipy.special's gamma, error, Bessel and
entropy functions, softmax).  Same format as rule_table_specs.py; rule_specs_survey.py merges these
in.  The walks' modules import these functions by name (`IMPORT`, read by
tests/test_rule_table_soundness.py).  Values keep clear of the poles and the domains' ends; the
special points (x == 0 of xlogy and the Bessel functions) are walked in MORE."""
import numpy as np

from rule_table_specs_base import F, K, S

IMPORT = ("from scipy.special import (gammaln, loggamma, gamma, digamma, psi, polygamma, multigammaln, betaln, beta, "
          "erf, erfc, erfcx, erfinv, erfcinv, ndtr, log_ndtr, ndtri, xlogy, xlog1py, entr, kl_div, rel_entr, i0, i1, "
          "i0e, i1e, k0, k1, k0e, k1e, softmax, log_softmax)")

rng = np.random.default_rng(37)
X = rng.uniform(-0.9, 0.9, (3, 4))
T3 = rng.uniform(-0.9, 0.9, (2, 3, 4))
V = rng.uniform(-0.9, 0.9, 4)
P = rng.uniform(0.4, 2.5, (3, 4))                # positive: gamma family, logs
P4 = rng.uniform(0.4, 2.5, 4)                    # positive, broadcast along P's last axis
P31 = rng.uniform(0.4, 2.5, (3, 1))
U = rng.uniform(-0.8, 0.8, (3, 4))              # inside (-1, 1): erfinv
U01 = rng.uniform(0.05, 0.95, (3, 4))           # inside (0, 1): ndtri
NI = np.array([[0.3, 1.2, -0.7, 2.4], [-1.6, 0.8, 3.3, -2.2], [1.7, -0.4, 0.2, 2.9]])  # off the poles
Z = np.array([[0.0, 0.7, 0.0, 1.3], [0.4, 0.0, 2.1, 0.0], [0.0, 0.9, 0.6, 0.0]])     # zeros: xlogy's x
YZ = np.where(Z == 0, 0.0, P)                   # y == 0 exactly where x == 0 (xlogy(0, 0) = 0)
Y1 = np.where(Z == 0, -1.0, P)                  # y == -1 where x == 0 (xlog1py(0, -1) = 0)
B0 = np.array([[0.0, 0.6, -1.3, 2.2], [-0.4, 0.0, 1.1, -2.7], [3.1, -0.05, 0.0, 0.8]])  # Bessel: zeros

ROWS = {
    "scipy_gammaln": ("gammaln", [F(P)]),
    "scipy_loggamma": ("loggamma", [F(P)]),
    "scipy_gamma": ("gamma", [F(NI)]),
    "scipy_digamma": ("digamma", [F(NI)]),
    "scipy_polygamma": ("polygamma", [S(1, kw="n"), F(P, kw="x")]),
    "scipy_multigammaln": ("multigammaln", [F(P + 1.5, kw="a"), S(3, kw="d")]),
    "scipy_betaln": ("betaln", [F(P), F(P4)]),
    "scipy_beta": ("beta", [F(P31), F(P)]),
    "scipy_erf": ("erf", [F(2 * X)]),
    "scipy_erfc": ("erfc", [F(2 * X)]),
    "scipy_erfcx": ("erfcx", [F(3 * X)]),
    "scipy_erfinv": ("erfinv", [F(U)]),
    "scipy_erfcinv": ("erfcinv", [F(1.0 + U)]),
    "scipy_ndtr": ("ndtr", [F(3 * X)]),
    "scipy_log_ndtr": ("log_ndtr", [F(4 * X)]),
    "scipy_ndtri": ("ndtri", [F(U01)]),
    "scipy_xlogy": ("xlogy", [F(X), F(P)]),
    "scipy_xlog1py": ("xlog1py", [F(X), F(U)]),
    "scipy_entr": ("entr", [F(P)]),
    "scipy_kl_div": ("kl_div", [F(P), F(P4)]),
    "scipy_rel_entr": ("rel_entr", [F(P31), F(P)]),
    "scipy_i0": ("i0", [F(3 * X)]),
    "scipy_i1": ("i1", [F(3 * X)]),
    "scipy_i0e": ("i0e", [F(3 * X)]),
    "scipy_i1e": ("i1e", [F(3 * X)]),
    "scipy_k0": ("k0", [F(P)]),
    "scipy_k1": ("k1", [F(P)]),
    "scipy_k0e": ("k0e", [F(P)]),
    "scipy_k1e": ("k1e", [F(P4)]),
    "scipy_softmax": ("softmax", [F(2 * X, kw="x"), S(1, kw="axis")]),
    "scipy_log_softmax": ("log_softmax", [F(2 * X, kw="x"), S(0, kw="axis")]),
}

MORE = {
    "scipy_gammaln": [("gammaln", [F(NI)]), ("gammaln", [F(30.5)])],
    "scipy_digamma": [("psi", [F(P)]), ("digamma", [F(0.37)])],
    "scipy_polygamma": [("polygamma", [S(0), F(NI)]), ("polygamma", [S(3), F(P4)]),
                        ("polygamma", [S(np.array([0, 1, 2, 3])), F(P)]), ("polygamma", [S(2), F(1.3)])],
    "scipy_multigammaln": [("multigammaln", [F(2.7), S(1)]), ("multigammaln", [F(P4 + 2.0), S(4)])],
    "scipy_gamma": [("gamma", [F(P)])],
    "scipy_betaln": [("betaln", [F(0.8), F(P)]), ("betaln", [F(P31), F(P4)])],
    "scipy_log_ndtr": [("log_ndtr", [F(-20.0 + X)]), ("log_ndtr", [F(6.0 + X)])],
    "scipy_ndtr": [("ndtr", [F(0.4)])],
    # x == 0: the result is the constant 0 whatever y is, and y gets 0 (also at y == 0, resp. -1)
    "scipy_xlogy": [("xlogy", [S(Z), F(YZ)]), ("xlogy", [F(Z), F(P)]), ("xlogy", [F(X), F(1.7)])],
    "scipy_xlog1py": [("xlog1py", [S(Z), F(Y1)]), ("xlog1py", [F(Z), F(P)])],
    "scipy_kl_div": [("kl_div", [S(Z), F(P)])],
    "scipy_rel_entr": [("rel_entr", [S(Z), F(P)]), ("rel_entr", [F(P4), F(0.9)])],
    "scipy_i0": [("i0", [F(B0)]), ("i0", [F(0.0)])],
    "scipy_i1": [("i1", [F(B0)]), ("i1", [F(0.0)])],
    "scipy_i0e": [("i0e", [F(np.where(B0 == 0, 0.5, B0))])],
    "scipy_i1e": [("i1e", [F(B0)]), ("i1e", [F(0.0)])],
    "scipy_softmax": [("softmax", [F(X)]), ("softmax", [F(T3), K((0, 2), kw="axis")]), ("softmax", [F(V), S(-1)]),
                      ("softmax", [F(T3), S(-1)])],
    "scipy_log_softmax": [("log_softmax", [F(X)]), ("log_softmax", [F(T3), K((1, 2), kw="axis")]),
                          ("log_softmax", [F(V), S(0)])],
}
