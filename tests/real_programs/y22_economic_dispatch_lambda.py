"""Power-system economic dispatch: generators with quadratic cost a + b P + c P^2 and output
limits [Pmin, Pmax] share a demand D.  The system lambda (marginal price) is found by Newton
iteration on the power balance sum_i clip((lambda - b_i) / (2 c_i), Pmin_i, Pmax_i) = D, where the
derivative only counts generators not at a limit; the loop stops on a tolerance with break.
The loss is the total production cost plus the price times a price-sensitive load,
differentiated w.r.t. the cost coefficient arrays b and c (a bidding sensitivity study)."""
import numpy as np

GENS = {
    "coal_1": dict(pmin=100.0, pmax=400.0),
    "coal_2": dict(pmin=80.0, pmax=300.0),
    "ccgt": dict(pmin=50.0, pmax=250.0),
    "peaker": dict(pmin=0.0, pmax=100.0),
}


def dispatch(lam, b, c, pmin, pmax):
    return np.clip((lam - b) / (2.0 * c), pmin, pmax)


def solve_lambda(b, c, pmin, pmax, demand, tol=1e-9, max_iter=50):
    lam = float(np.mean(b + 2.0 * c * (pmin + pmax) / 2.0))
    for _ in range(max_iter):
        p = dispatch(lam, b, c, pmin, pmax)
        mismatch = p.sum() - demand
        free = (p > pmin) & (p < pmax)
        slope = np.sum(np.where(free, 1.0 / (2.0 * c), 0.0))
        if slope == 0.0:
            raise RuntimeError(f"all units at limits with mismatch {mismatch:.2f} MW")
        lam = lam - mismatch / slope
        if abs(mismatch) < tol:
            break
    return lam


def system_cost(b, c, a, demand=780.0, elastic_load=0.5):
    pmin = np.array([g["pmin"] for g in GENS.values()])
    pmax = np.array([g["pmax"] for g in GENS.values()])
    lam = solve_lambda(b, c, pmin, pmax, demand)
    p = dispatch(lam, b, c, pmin, pmax)
    cost = np.sum(a + b * p + c * p ** 2)
    return cost + elastic_load * lam * demand


f = system_cost
KW = dict(wrt=("b", "c"))
ARGS = (np.array([20.0, 22.0, 30.0, 60.0]), np.array([0.010, 0.012, 0.020, 0.050]), np.array([500.0, 400.0, 250.0, 80.0]))
