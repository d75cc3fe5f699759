import numpy as np

def rk4_step(fun, y, t, dt):
    k1 = fun(t, y)
    k2 = fun(t + dt / 2, y + dt / 2 * k1)
    k3 = fun(t + dt / 2, y + dt / 2 * k2)
    k4 = fun(t + dt, y + dt * k3)
    return y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

def fit_loss(theta, y0, t_obs, y_obs, dt=0.05):
    alpha, beta, delta, gamma = theta

    def lotka_volterra(t, y):
        prey, pred = y
        return np.array([alpha * prey - beta * prey * pred,
                         delta * prey * pred - gamma * pred])

    y = y0
    traj = [y0]
    t = 0.0
    for step in range(len(t_obs) - 1):
        n_sub = int(round((t_obs[step + 1] - t_obs[step]) / dt))
        for _ in range(n_sub):
            y = rk4_step(lotka_volterra, y, t, dt)
            t += dt
        traj.append(y)
    traj = np.array(traj)
    return np.sum((traj - y_obs) ** 2)

rng = np.random.default_rng(16)
theta = np.array([1.1, 0.4, 0.1, 0.4])
y0 = np.array([10.0, 5.0])
t_obs = np.linspace(0, 2, 5)
y_obs = np.abs(rng.standard_normal((5, 2))) * 5 + 3
f = fit_loss
KW = dict(wrt="theta")
ARGS = (theta, y0, t_obs, y_obs)
