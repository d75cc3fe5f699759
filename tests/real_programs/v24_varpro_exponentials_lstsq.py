"""Variable projection for a sum of decaying exponentials (Golub-Pereyra): for given log decay rates
the amplitudes and the offset are the linear least-squares solution, found with
np.linalg.lstsq(A, y, rcond=None) and unpacked with `coef, *_ =`; the projected residual is
minimised over the rates only."""
import numpy as np


def design(t, log_rates):
    return np.column_stack([np.exp(-np.outer(t, np.exp(log_rates))), np.ones_like(t)])


def varpro_residual(log_rates, t, y):
    A = design(t, log_rates)
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    r = y - A @ coef
    return 0.5 * r @ r


rng = np.random.default_rng(724)
t = np.linspace(0, 4, 40)
y = 2.0 * np.exp(-0.7 * t) + 0.8 * np.exp(-3.0 * t) + 0.1 + 0.01 * rng.standard_normal(40)
f = varpro_residual
ARGS = (np.log(np.array([0.5, 2.5])), t, y)
