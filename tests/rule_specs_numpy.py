"""How to call the rule-table rows added for numpy coverage (issue 11): statistics, contractions,
shape and assembly, linear algebra, more elementwise functions and array methods.  Same format as
rule_table_specs.py (which merges these in); values keep clear of kinks and ties."""
import numpy as np

from rule_table_specs_base import F, K, S

rng = np.random.default_rng(17)
X = rng.uniform(-0.9, 0.9, (3, 4))
XZ = X.copy()
XZ[1, 2] = 0.0                                # a zero: prod and cumprod must stay exact
T3 = rng.uniform(-0.9, 0.9, (2, 3, 4))
V = rng.uniform(-0.9, 0.9, 5)
W4 = rng.uniform(0.2, 1.0, 4)                 # positive weights
A = "a"

ROWS = {
    # statistics and scans
    "np.var": ("np.var", [F(X, kw=A), S(1, kw="axis")]),
    ".var": (".var", [F(X), S(0, kw="axis"), K(1, kw="ddof")]),
    "np.std": ("np.std", [F(X, kw=A), S(0, kw="axis"), K(1, kw="ddof")]),
    ".std": (".std", [F(X)]),
    "np.prod": ("np.prod", [F(XZ, kw=A), S(1, kw="axis")]),
    ".prod": (".prod", [F(X)]),
    "np.cumsum": ("np.cumsum", [F(X, kw=A), S(1, kw="axis")]),
    ".cumsum": (".cumsum", [F(X), S(0, kw="axis")]),
    "np.cumprod": ("np.cumprod", [F(XZ, kw=A), S(1, kw="axis")]),
    ".cumprod": (".cumprod", [F(X)]),
    "np.ptp": ("np.ptp", [F(X, kw=A), S(0, kw="axis")]),
    "np.nansum": ("np.nansum", [F(X, kw=A), S(1, kw="axis")]),
    "np.nanmean": ("np.nanmean", [F(X, kw=A), S(0, kw="axis")]),
    "np.median": ("np.median", [F(X, kw=A), S(1, kw="axis")]),
    "np.percentile": ("np.percentile", [F(X, kw=A), F(37.0, kw="q"), S(1, kw="axis")]),
    "np.quantile": ("np.quantile", [F(X, kw=A), F(np.array([0.3, 0.55]), kw="q")]),
    "np.average": ("np.average", [F(X, kw=A), S(1, kw="axis"), F(W4, kw="weights")]),
    "np.diff": ("np.diff", [F(X, kw=A), S(1, kw="n"), S(0, kw="axis")]),
    "np.trace": ("np.trace", [F(X, kw=A)]),
    ".trace": (".trace", [F(T3), S(1)]),
}

MORE = {
    "np.var": [("np.var", [F(T3), S((0, 2), kw="axis"), K(True, kw="keepdims")]), ("np.var", [F(X)])],
    "np.std": [("np.std", [F(T3), S(-1, kw="axis"), K(True, kw="keepdims")]), ("np.std", [F(V)])],
    "np.prod": [("np.prod", [F(XZ)]), ("np.prod", [F(T3), S((0, 2), kw="axis"), K(True, kw="keepdims")]),
                ("np.prod", [F(X), S(0, kw="axis")])],
    "np.cumsum": [("np.cumsum", [F(X)]), ("np.cumsum", [F(T3), S(-1, kw="axis")])],
    "np.cumprod": [("np.cumprod", [F(XZ)]), ("np.cumprod", [F(X), S(0, kw="axis")])],
    "np.ptp": [("np.ptp", [F(X)])],
    "np.median": [("np.median", [F(V)]), ("np.median", [F(X), S(0, kw="axis"), K(True, kw="keepdims")])],
    "np.percentile": [("np.percentile", [F(V), F(np.array([10.0, 62.0, 90.0]))]),
                      ("np.percentile", [F(T3), F(81.0), S(-1, kw="axis"), K(True, kw="keepdims")])],
    "np.average": [("np.average", [F(X)]), ("np.average", [F(X), S(None), F(X + 1.5)]),
                   ("np.average", [F(T3), S(0)])],
    "np.diff": [("np.diff", [F(X), S(2)]), ("np.diff", [F(T3), S(1, kw="n"), S(1, kw="axis")])],
    "np.trace": [("np.trace", [F(X), S(1, kw="offset")]), ("np.trace", [F(T3), S(0), S(1), S(2)])],
    "np.linalg.norm": [("np.linalg.norm", [F(V), S(o, kw="ord")]) for o in (1, 3, 0.5, np.inf, -np.inf, 0)] + [
        ("np.linalg.norm", [F(X), S(o, kw="ord")]) for o in (1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc")] + [
        ("np.linalg.norm", [F(T3), S(o, kw="ord"), S((2, 0), kw="axis"), K(True, kw="keepdims")])
        for o in ("nuc", 2, 1, np.inf)] + [
        ("np.linalg.norm", [F(X), S(3, kw="ord"), S(1, kw="axis")])],
}

# contractions
B = rng.uniform(-0.9, 0.9, (4, 5))
SQ = rng.uniform(-0.9, 0.9, (3, 3))
C3 = rng.uniform(-0.9, 0.9, (2, 3))
D3 = rng.uniform(-0.9, 0.9, (4, 3))
ROWS.update({
    "np.einsum": ("np.einsum('ij,jk->ik', {0}, {1})", [F(X), F(B)]),
    "np.tensordot": ("np.tensordot", [F(T3, kw=A), F(rng.uniform(-0.9, 0.9, (3, 4, 2)), kw="b"), S(2, kw="axes")]),
    "np.inner": ("np.inner", [F(X, kw=A), F(D3.T.copy(), kw="b")]),
    "np.vdot": ("np.vdot", [F(X, kw=A), F(rng.uniform(-0.9, 0.9, 12), kw="b")]),
    "np.kron": ("np.kron", [F(C3, kw=A), F(X, kw="b")]),
    "np.cross": ("np.cross", [F(C3, kw=A), F(D3[:2].copy(), kw="b")]),
})
MORE.update({
    "np.einsum": [("np.einsum('ii->', {0})", [F(SQ)]), ("np.einsum('ii->i', {0})", [F(SQ)]),
                  ("np.einsum('ij->i', {0})", [F(X)]), ("np.einsum('ij,ij', {0}, {1})", [F(X), F(X + 0.5)]),
                  ("np.einsum('...ij,...jk->...ik', {0}, {1})", [F(T3), F(rng.uniform(-0.9, 0.9, (2, 4, 3)))]),
                  ("np.einsum('bij,jk,bk->bi', {0}, {1}, {2})", [F(T3), F(B), F(rng.uniform(-0.9, 0.9, (2, 5)))]),
                  ("np.einsum('i,j', {0}, {1})", [F(V), F(W4)]), ("np.einsum('iij->ij', {0})", [F(np.stack([SQ] * 2, -1))]),
                  ("np.einsum('...i,i->...', {0}, {1})", [F(T3), F(W4)]), ("np.einsum('ij,k->ijk', {0}, {1})", [F(X), F(V)])],
    "np.tensordot": [("np.tensordot", [F(X), F(B), S(1)]), ("np.tensordot", [F(T3), F(X), S(((0, 2), (1, 0)))]),
                     ("np.tensordot", [F(V), F(V + 1.0), S(0)])],
    "np.inner": [("np.inner", [F(V), F(V + 0.3)]), ("np.inner", [F(T3), F(W4)]), ("np.inner", [F(2.5), F(X)])],
    "np.vdot": [("np.vdot", [F(X), F(X + 0.2)])],
    "np.kron": [("np.kron", [F(V), F(W4)]), ("np.kron", [F(W4), F(T3)])],
    "np.cross": [("np.cross", [F(D3), F(rng.uniform(-0.9, 0.9, 3))])],
})
