"""Strong-constraint 4D-Var data assimilation with the Lorenz-96 model (40 variables, np.roll
advection), RK4 steps through a helper that takes the tendency as a closure, a background term
with a Gaussian-correlated B (circular distances by np.subtract.outer / np.minimum) applied by
np.linalg.solve, and observations of every other variable (x[::2]) at steps listed in a
module-level dict keyed by step.  Differentiated w.r.t. the initial state."""
import numpy as np

N = 20
F_FORCE = 8.0


def lorenz96(x, F):
    return (np.roll(x, -1) - np.roll(x, 2)) * np.roll(x, 1) - x + F


def rk4(fun, x, h):
    k1 = fun(x)
    k2 = fun(x + 0.5 * h * k1)
    k3 = fun(x + 0.5 * h * k2)
    k4 = fun(x + h * k3)
    return x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def background_cov(sigma_b=0.5, L=2.0):
    i = np.arange(N)
    d = np.abs(np.subtract.outer(i, i))
    d = np.minimum(d, N - d)
    return sigma_b ** 2 * np.exp(-0.5 * (d / L) ** 2) + 1e-6 * np.eye(N)


def cost_4dvar(x0, xb, obs, dt=0.01, n_steps=40, sigma_o=0.3):
    B = background_cov()
    dxb = x0 - xb
    Jb = 0.5 * dxb @ np.linalg.solve(B, dxb)
    x = x0
    Jo = 0.0
    tend = lambda z: lorenz96(z, F_FORCE)
    for k in range(1, n_steps + 1):
        x = rk4(tend, x, dt)
        if k in obs:
            innov = obs[k] - x[::2]
            Jo += 0.5 * np.sum(innov ** 2) / sigma_o ** 2
    return Jb + Jo


rng = np.random.default_rng(29)
x_true = F_FORCE + rng.standard_normal(N)
tend = lambda z: lorenz96(z, F_FORCE)
for _ in range(200):
    x_true = rk4(tend, x_true, 0.01)
OBS = {}
xt = x_true.copy()
for k in range(1, 41):
    xt = rk4(tend, xt, 0.01)
    if k % 10 == 0:
        OBS[k] = xt[::2] + 0.3 * rng.standard_normal(N // 2)
xb = x_true + 0.5 * rng.standard_normal(N)
f = cost_4dvar
ARGS = (xb + 0.1 * rng.standard_normal(N), xb, OBS)
