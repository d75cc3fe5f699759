"""High-temperature H/O gas equilibrium by Gibbs-energy minimisation with element potentials:
species data in a dict of dicts (iterated with .items()), mole numbers n_i = N exp(-g_i + a_i.lam),
Newton's method on the element balances and sum of mole fractions = 1 (analytic Jacobian, np.block, solve) for a
fixed number of steps; the measured mole fractions of a few species are fitted, differentiated
w.r.t. the dimensionless standard Gibbs energies g_i/RT held in a dict."""
import numpy as np

SPECIES = {
    "H2": {"H": 2, "O": 0},
    "O2": {"H": 0, "O": 2},
    "H2O": {"H": 2, "O": 1},
    "OH": {"H": 1, "O": 1},
    "H": {"H": 1, "O": 0},
    "O": {"H": 0, "O": 1},
}


def formula_matrix():
    names = list(SPECIES)
    A = np.array([[SPECIES[s]["H"] for s in names], [SPECIES[s]["O"] for s in names]], dtype=float)
    return names, A


def equilibrium(g0, b, n_newton=25):
    names, A = formula_matrix()
    g = np.array([g0[s] for s in names])
    lam = np.array([0.5 * g0["H2"], 0.5 * g0["O2"]])  # start from the diatomic elements
    logN = np.log(b.sum())
    for _ in range(n_newton):
        x = np.exp(-g + A.T @ lam)
        n = np.exp(logN) * x
        An = A @ n
        r = np.concatenate([An - b, [x.sum() - 1.0]])
        J = np.block([[A @ (n[:, None] * A.T), An[:, None]],
                      [(A @ x)[None, :], np.zeros((1, 1))]])
        step = np.linalg.solve(J, -r)
        lam = lam + step[:-1]
        logN = logN + step[-1]
    n = np.exp(logN - g + A.T @ lam)
    return {s: n[i] / n.sum() for i, s in enumerate(names)}


def fit_loss(g0, b, measured):
    x = equilibrium(g0, b)
    loss = 0.0
    for species, value in measured.items():
        loss += (np.log(x[species]) - np.log(value)) ** 2
    return loss


g0 = {"H2": -15.0, "O2": -21.0, "H2O": -32.0, "OH": -20.0, "H": -5.5, "O": -8.0}
b = np.array([2.0, 1.0])
measured = {"H2O": 0.9, "OH": 0.01, "H2": 0.05, "O": 2e-4}
f = fit_loss
ARGS = (g0, b, measured)
