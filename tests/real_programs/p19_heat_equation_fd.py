import numpy as np

def solve_heat(u0, kappa, dx, dt, n_steps):
    u = u0.copy()
    r = kappa * dt / dx ** 2
    assert r < 0.5, f"unstable scheme: r={r:.3f}"
    for n in range(n_steps):
        u_new = u.copy()
        u_new[1:-1] = u[1:-1] + r * (u[2:] - 2 * u[1:-1] + u[:-2])
        u_new[0] = 0.0      # Dirichlet
        u_new[-1] = 0.0
        u = u_new
    return u

def objective(u0, kappa, target):
    nx = len(u0)
    dx = 1.0 / (nx - 1)
    u = solve_heat(u0, kappa, dx, 0.2 * dx ** 2, 50)
    return np.sum((u - target) ** 2) * dx

rng = np.random.default_rng(18)
xg = np.linspace(0, 1, 21)
u0 = np.sin(np.pi * xg) + 0.1 * rng.standard_normal(21)
target = 0.5 * np.sin(np.pi * xg)
f = objective
KW = dict(wrt=("u0", "kappa"))
ARGS = (u0, 0.9, target)
