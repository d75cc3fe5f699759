import numpy as np

def solve_fixed_point(theta, x0, tol=1e-12, max_iter=500):
    x = x0
    for it in range(max_iter):
        x_new = np.cos(theta * x) * 0.5 + 0.1 * theta
        if np.max(np.abs(x_new - x)) < tol:
            return x_new
        x = x_new
    return x

def newton_sqrt(a, tol=1e-13):
    x = a
    err = 1.0
    while err > tol:
        x_next = 0.5 * (x + a / x)
        err = abs(x_next - x)
        x = x_next
    return x

def loss(theta, target):
    x_star = solve_fixed_point(theta, np.zeros_like(theta))
    return np.sum((x_star - target) ** 2) + newton_sqrt(np.sum(theta ** 2))

rng = np.random.default_rng(31)
theta = rng.uniform(0.5, 1.5, 5)
f = loss
ARGS = (theta, 0.3 * np.ones(5))
