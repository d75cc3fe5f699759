"""Kuramoto oscillators on a weighted network: dtheta_i/dt = omega_i + (K/N) sum_j A_ij sin(theta_j -
theta_i), integrated with classic RK4 where the stages are kept in a list and combined with
zip against the Butcher weights; the synchronisation order parameter r = |mean(exp(i theta))| is
computed from cos/sin means at every step and the loss rewards late-time synchrony while penalising
the coupling budget.  Differentiated w.r.t. the natural frequencies and the coupling strength."""
import numpy as np


def rhs(theta, omega, K, A):
    diff = theta[None, :] - theta[:, None]
    return omega + K / len(theta) * np.sum(A * np.sin(diff), axis=1)


def rk4_step(theta, dt, *args):
    k1 = rhs(theta, *args)
    k2 = rhs(theta + 0.5 * dt * k1, *args)
    k3 = rhs(theta + 0.5 * dt * k2, *args)
    k4 = rhs(theta + dt * k3, *args)
    stages = [k1, k2, k3, k4]
    return theta + dt * sum(w * k for w, k in zip((1 / 6, 1 / 3, 1 / 3, 1 / 6), stages))


def order_parameter(theta):
    return np.sqrt(np.mean(np.cos(theta)) ** 2 + np.mean(np.sin(theta)) ** 2)


def sync_loss(omega, K, A, theta0, dt=0.05, steps=120):
    theta = theta0.copy()
    history = []
    for _ in range(steps):
        theta = rk4_step(theta, dt, omega, K, A)
        history.append(order_parameter(theta))
    r_late = np.mean(history[-30:])
    return -r_late + 0.01 * K ** 2 + 0.1 * np.var(omega)


rng = np.random.default_rng(3)
N = 10
A = (rng.random((N, N)) < 0.5).astype(float)
A = np.triu(A, 1)
A = A + A.T
f = sync_loss
ARGS = (rng.normal(1.0, 0.3, N), 2.5, A, rng.uniform(0, 2 * np.pi, N))
KW = {"wrt": ("omega", "K")}
