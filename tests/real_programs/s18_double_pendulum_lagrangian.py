"""Double pendulum from its Lagrangian: at every RK4 stage the 2x2 mass matrix M(q) and the
Coriolis/gravity vector are assembled and qdd = np.linalg.solve(M, rhs); the loss matches the
simulated tip trajectory with observations, w.r.t. the two lengths and masses."""
import numpy as np

G = 9.81


def accelerations(q, qd, phys):
    m1, m2, l1, l2 = phys
    d = q[0] - q[1]
    M = np.array([[(m1 + m2) * l1 ** 2, m2 * l1 * l2 * np.cos(d)],
                  [m2 * l1 * l2 * np.cos(d), m2 * l2 ** 2]])
    rhs = np.array([-m2 * l1 * l2 * qd[1] ** 2 * np.sin(d) - (m1 + m2) * G * l1 * np.sin(q[0]),
                    m2 * l1 * l2 * qd[0] ** 2 * np.sin(d) - m2 * G * l2 * np.sin(q[1])])
    return np.linalg.solve(M, rhs)


def deriv(y, phys):
    q, qd = y[:2], y[2:]
    return np.concatenate([qd, accelerations(q, qd, phys)])


def rk4(y, h, phys):
    k1 = deriv(y, phys)
    k2 = deriv(y + h / 2 * k1, phys)
    k3 = deriv(y + h / 2 * k2, phys)
    k4 = deriv(y + h * k3, phys)
    return y + h * (k1 + 2 * k2 + 2 * k3 + k4) / 6


def tip(y, phys):
    _, _, l1, l2 = phys
    return np.array([l1 * np.sin(y[0]) + l2 * np.sin(y[1]), -l1 * np.cos(y[0]) - l2 * np.cos(y[1])])


def trajectory_loss(log_phys, y0, observed, h=0.02):
    phys = np.exp(log_phys)
    y = y0
    err = 0.0
    for obs in observed:
        y = rk4(y, h, phys)
        err = err + np.sum((tip(y, phys) - obs) ** 2)
    return err / len(observed)


y0 = np.array([1.0, 0.5, 0.0, 0.0])
true_phys = np.array([1.0, 0.8, 1.0, 0.7])
y, obs = y0, []
for _ in range(25):
    y = rk4(y, 0.02, true_phys)
    obs.append(tip(y, true_phys))
f = trajectory_loss
ARGS = (np.log(np.array([1.1, 0.7, 0.95, 0.75])), y0, np.array(obs))
