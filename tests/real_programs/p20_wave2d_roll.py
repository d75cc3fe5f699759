import numpy as np

def laplacian(u):
    return (np.roll(u, 1, axis=0) + np.roll(u, -1, axis=0) +
            np.roll(u, 1, axis=1) + np.roll(u, -1, axis=1) - 4 * u)

def simulate_wave(u0, c, n_steps=30, dt=0.1):
    u_prev = u0.copy()
    u = u0.copy()
    for _ in range(n_steps):
        u_next = 2 * u - u_prev + (c * dt) ** 2 * laplacian(u)
        u_prev, u = u, u_next
    return u

def energy_at_probe(u0, c, probe_mask):
    u = simulate_wave(u0, c)
    return np.sum((u * probe_mask) ** 2)

rng = np.random.default_rng(19)
n = 12
xx, yy = np.meshgrid(np.arange(n), np.arange(n))
u0 = np.exp(-((xx - 4) ** 2 + (yy - 5) ** 2) / 4.0) + 0.01 * rng.standard_normal((n, n))
probe = np.zeros((n, n)); probe[8:10, 8:10] = 1.0
f = energy_at_probe
KW = dict(wrt=("u0", "c"))
ARGS = (u0, 1.3, probe)
