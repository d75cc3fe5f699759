"""Stochastic ensemble Kalman filter on Lorenz-63 with perturbed observations of x and z: the
ensemble is propagated with RK4, inflated multiplicatively, and updated with the gain from the
ensemble covariance (np.cov) solved with np.linalg.solve.  The loss, the time-averaged squared
error of the analysis mean against the truth, is differentiated w.r.t. the model parameters
(sigma, rho, beta) the filter assumes; all noise from np.random after seeding."""
import numpy as np

SEEDED = True


def l63(x, p):
    return np.stack([p[0] * (x[1] - x[0]), x[0] * (p[1] - x[2]) - x[1], x[0] * x[1] - p[2] * x[2]])


def rk4(x, p, h):
    k1 = l63(x, p)
    k2 = l63(x + 0.5 * h * k1, p)
    k3 = l63(x + 0.5 * h * k2, p)
    k4 = l63(x + h * k3, p)
    return x + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def enkf_error(theta, truth, obs, n_ens=12, h=0.02, steps_between=5, r_obs=1.0, infl=1.05):
    Hm = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    R = r_obs * np.eye(2)
    E = truth[0][:, None] + np.random.standard_normal((3, n_ens))
    err = 0.0
    for k in range(1, len(obs)):
        for _ in range(steps_between):
            E = rk4(E, theta, h)
        mean = E.mean(axis=1, keepdims=True)
        E = mean + infl * (E - mean)
        P = np.cov(E)
        S = Hm @ P @ Hm.T + R
        K = np.linalg.solve(S, Hm @ P).T
        Y = obs[k][:, None] + np.sqrt(r_obs) * np.random.standard_normal((2, n_ens))
        E = E + K @ (Y - Hm @ E)
        err = err + np.sum((E.mean(axis=1) - truth[k]) ** 2)
    return err / (len(obs) - 1)


rng = np.random.default_rng(11)
p_true = np.array([10.0, 28.0, 8.0 / 3.0])
x = np.array([1.0, 1.0, 20.0])
truth, obs = [x], [x[[0, 2]]]
for k in range(12):
    for _ in range(5):
        x = rk4(x, p_true, 0.02)
    truth.append(x)
    obs.append(x[[0, 2]] + rng.standard_normal(2))
f = enkf_error
ARGS = (np.array([9.5, 27.0, 2.6]), truth, obs)
