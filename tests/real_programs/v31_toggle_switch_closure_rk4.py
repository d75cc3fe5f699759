"""The Gardner-Collins genetic toggle switch fitted to time-course data: a factory returns the
right-hand side as a closure over the (exponentiated) parameters, a generic solve_ivp-like RK4
helper takes the function, steps between consecutive t_eval points with zip(t[:-1], t[1:]) and
stacks the states; the loss is on log concentrations."""
import numpy as np


def make_rhs(alpha1, alpha2, beta, gamma, inducer=0.0, K=1.0):
    def rhs(t, y):
        u, v = y
        v_free = v / (1.0 + inducer / K)
        du = alpha1 / (1.0 + v_free ** beta) - u
        dv = alpha2 / (1.0 + u ** gamma) - v
        return np.array([du, dv])
    return rhs


def rk4_solve(fun, y0, t_eval, substeps=4):
    y = y0
    ys = [y0]
    for t0, t1 in zip(t_eval[:-1], t_eval[1:]):
        h = (t1 - t0) / substeps
        t = t0
        for _ in range(substeps):
            k1 = fun(t, y)
            k2 = fun(t + h / 2, y + h / 2 * k1)
            k3 = fun(t + h / 2, y + h / 2 * k2)
            k4 = fun(t + h, y + h * k3)
            y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            t = t + h
        ys.append(y)
    return np.stack(ys)


def fit_loss(log_theta, y0, t_eval, data, inducer):
    a1, a2, b, g = np.exp(log_theta)
    traj = rk4_solve(make_rhs(a1, a2, b, g, inducer=inducer), y0, t_eval)
    return np.mean((np.log(traj) - np.log(data)) ** 2)


t_eval = np.linspace(0, 10, 21)
y0 = np.array([0.5, 2.0])
data = rk4_solve(make_rhs(4.0, 3.0, 2.0, 2.5, inducer=0.5), y0, t_eval)
data = data * np.exp(0.03 * np.random.default_rng(731).standard_normal(data.shape))
f = fit_loss
ARGS = (np.log(np.array([3.5, 3.3, 1.8, 2.2])), y0, t_eval, data, 0.5)
