"""Tuning HMC: the energy error of a leapfrog trajectory on a correlated Gaussian, as a function of
the step size and a diagonal mass matrix (log scale); the potential's gradient written by hand."""
import numpy as np

def potential(q, Prec):
    return 0.5 * q @ Prec @ q

def grad_potential(q, Prec):
    return Prec @ q

def leapfrog(q, p, eps, inv_mass, Prec, n_steps):
    p = p - 0.5 * eps * grad_potential(q, Prec)
    for i in range(n_steps):
        q = q + eps * inv_mass * p
        if i != n_steps - 1:
            p = p - eps * grad_potential(q, Prec)
    p = p - 0.5 * eps * grad_potential(q, Prec)
    return q, p

def energy_error(log_eps, log_mass, q0, p0, Prec, n_steps=12):
    eps = np.exp(log_eps)
    mass = np.exp(log_mass)
    p0 = p0 * np.sqrt(mass)
    H0 = potential(q0, Prec) + 0.5 * np.sum(p0 ** 2 / mass)
    q, p = leapfrog(q0, p0, eps, 1.0 / mass, Prec, n_steps)
    H1 = potential(q, Prec) + 0.5 * np.sum(p ** 2 / mass)
    return (H1 - H0) ** 2

rng = np.random.default_rng(34)
A = rng.standard_normal((3, 3))
Cov = A @ A.T + 0.5 * np.eye(3)
f = energy_error
KW = dict(wrt=("log_eps", "log_mass"))
ARGS = (np.log(0.2), np.zeros(3), rng.standard_normal(3), rng.standard_normal(3), np.linalg.inv(Cov))
EXTRA = ["numba", "jvp"]
