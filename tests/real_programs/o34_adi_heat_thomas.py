"""2-D transient heat conduction by the Peaceman-Rachford ADI scheme: each half step solves a
tridiagonal system per grid line with the Thomas algorithm (a helper with in-place writes into
c' and d' arrays and back substitution), first along x then along y, with Dirichlet zero edges.
The loss compares the final field at a few thermocouples with readings, w.r.t. the conductivity
and the amplitude of the initial hot spot."""
import numpy as np


def thomas(a, b, c, d):
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def adi(u, kappa, dt, h, n_steps):
    n = u.shape[0] - 2
    r = kappa * dt / (2 * h * h)
    a = np.full(n, -r)
    b = np.full(n, 1 + 2 * r)
    c = np.full(n, -r)
    for _ in range(n_steps):
        half = np.zeros_like(u)
        for j in range(1, n + 1):             # implicit in x, explicit in y
            rhs = u[1:-1, j] + r * (u[1:-1, j + 1] - 2 * u[1:-1, j] + u[1:-1, j - 1])
            half[1:-1, j] = thomas(a, b, c, rhs)
        new = np.zeros_like(u)
        for i in range(1, n + 1):             # implicit in y, explicit in x
            rhs = half[i, 1:-1] + r * (half[i + 1, 1:-1] - 2 * half[i, 1:-1] + half[i - 1, 1:-1])
            new[i, 1:-1] = thomas(a, b, c, rhs)
        u = new
    return u


def loss(kappa, amp, sensors, readings, n=8, dt=0.01, n_steps=4):
    g = np.linspace(0, 1, n + 2)
    X, Y = np.meshgrid(g, g, indexing="ij")
    u0 = amp * np.exp(-((X - 0.4) ** 2 + (Y - 0.6) ** 2) / 0.02)
    u0[0, :] = u0[-1, :] = u0[:, 0] = u0[:, -1] = 0.0
    u = adi(u0, kappa, dt, g[1] - g[0], n_steps)
    pred = u[sensors[:, 0], sensors[:, 1]]
    return np.sum((pred - readings) ** 2)


sensors = np.array([[2, 2], [4, 5], [5, 6], [7, 3], [3, 7]])
readings = np.array([0.05, 0.4, 0.35, 0.02, 0.2])
f = loss
ARGS = (0.8, 1.2, sensors, readings)
KW = {"wrt": ("kappa", "amp")}
