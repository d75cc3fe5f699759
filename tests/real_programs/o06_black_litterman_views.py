"""Black-Litterman: implied equilibrium returns from market weights, three investor views (an
absolute view and two relative ones) with Idzorek-style confidence, the posterior mean by the
master formula with np.linalg.inv / solve, and the unconstrained mean-variance weights.  The loss
(how far the resulting portfolio is from a target active-risk budget plus a turnover term) is
differentiated w.r.t. the view returns Q and the log of tau."""
import numpy as np


def posterior_mean(Sigma, pi, P, Q, tau, omega_scale):
    tS = tau * Sigma
    Omega = np.diag(np.diag(P @ tS @ P.T)) * omega_scale
    A = np.linalg.inv(tS) + P.T @ np.linalg.solve(Omega, P)
    b = np.linalg.solve(tS, pi) + P.T @ np.linalg.solve(Omega, Q)
    return np.linalg.solve(A, b), np.linalg.inv(A)


def bl_loss(Q, log_tau, Sigma, w_mkt, P, delta=2.5, te_target=0.03):
    tau = np.exp(log_tau)
    pi = delta * Sigma @ w_mkt
    mu, M = posterior_mean(Sigma, pi, P, Q, tau, np.array([1.0, 2.0, 0.5]))
    Sigma_post = Sigma + M
    w = np.linalg.solve(delta * Sigma_post, mu)
    active = w - w_mkt
    te = np.sqrt(active @ Sigma @ active)
    turnover = np.sum(np.sqrt(active ** 2 + 1e-8))
    return (te - te_target) ** 2 + 0.01 * turnover - 0.1 * mu @ w


rng = np.random.default_rng(6)
n = 6
vols = np.array([0.15, 0.18, 0.22, 0.12, 0.25, 0.2])
C = 0.3 + 0.7 * np.eye(n)
C[0, 1] = C[1, 0] = 0.6
Sigma = np.outer(vols, vols) * C
w_mkt = np.array([0.25, 0.2, 0.15, 0.2, 0.1, 0.1])
P = np.zeros((3, n))
P[0, 0] = 1.0
P[1, [1, 2]] = [1.0, -1.0]
P[2, [3, 4, 5]] = [0.5, 0.5, -1.0]
f = bl_loss
ARGS = (np.array([0.06, 0.02, -0.01]), np.log(0.05), Sigma, w_mkt, P)
KW = {"wrt": ("Q", "log_tau")}
