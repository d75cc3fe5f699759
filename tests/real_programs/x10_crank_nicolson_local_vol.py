"""European call prices under a parametric local volatility sigma(S) = a + b tanh((S - S0)/w),
computed by a Crank-Nicolson finite-difference scheme for the Black-Scholes PDE on a uniform
price grid: tridiagonal operators assembled with np.diag of sub/main/super diagonals, one
np.linalg.solve per time step marching backward in time (`for n in reversed(range(n_t))`), Dirichlet
boundary values written into the last row; prices at the quoted spot read by np.interp off the
grid, and the calibration loss sums squared errors over a dict of strike -> market price (one PDE
solve per strike), differentiated w.r.t. (a, b) as a numpy array."""
import numpy as np

S0, R, T = 100.0, 0.02, 0.5


def local_vol(S, theta, w=30.0):
    a, b = theta
    return a + b * np.tanh((S - S0) / w)


def cn_price(theta, K, s_max=250.0, n_s=60, n_t=40):
    S = np.linspace(0.0, s_max, n_s + 1)
    dS, dt = S[1] - S[0], T / n_t
    sig = local_vol(S[1:-1], theta)
    j = S[1:-1] / dS
    alpha = 0.25 * dt * (sig ** 2 * j ** 2 - R * j)
    beta = -0.5 * dt * (sig ** 2 * j ** 2 + R)
    gamma = 0.25 * dt * (sig ** 2 * j ** 2 + R * j)
    A = np.diag(1 - beta) - np.diag(alpha[1:], -1) - np.diag(gamma[:-1], 1)
    B = np.diag(1 + beta) + np.diag(alpha[1:], -1) + np.diag(gamma[:-1], 1)
    V = np.maximum(S - K, 0.0)
    for n in reversed(range(n_t)):
        tau = T - n * dt
        rhs = B @ V[1:-1]
        upper = s_max - K * np.exp(-R * tau)
        rhs[-1] = rhs[-1] + gamma[-1] * (upper + s_max - K * np.exp(-R * (tau - dt)))
        interior = np.linalg.solve(A, rhs)
        V = np.concatenate([[0.0], interior, [upper]])
    return np.interp(S0, S, V)


def calibration_loss(theta, quotes):
    return sum((cn_price(theta, K) - price) ** 2 for K, price in quotes.items())


quotes = {K: cn_price(np.array([0.22, -0.06]), K) for K in (80.0, 90.0, 100.0, 110.0, 120.0)}
f = calibration_loss
ARGS = (np.array([0.2, -0.03]), quotes)
