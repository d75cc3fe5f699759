import numpy as np

G = 1.0

def total_energy(pos, vel, masses):
    n = len(masses)
    kinetic = 0.5 * np.sum(masses[:, None] * vel ** 2)
    potential = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            r = np.linalg.norm(pos[i] - pos[j])
            potential -= G * masses[i] * masses[j] / r
    return kinetic + potential

def leapfrog_energy_drift(pos, vel, masses, dt=0.01, steps=20):
    def accel(p):
        diff = p[None, :, :] - p[:, None, :]          # (n, n, 3)
        dist3 = (np.sum(diff ** 2, axis=-1) + 1e-3) ** 1.5
        return G * np.sum(diff * (masses[None, :, None] / dist3[:, :, None]), axis=1)
    E0 = total_energy(pos, vel, masses)
    a = accel(pos)
    for _ in range(steps):
        vel = vel + 0.5 * dt * a
        pos = pos + dt * vel
        a = accel(pos)
        vel = vel + 0.5 * dt * a
    return (total_energy(pos, vel, masses) - E0) ** 2 + total_energy(pos, vel, masses)

rng = np.random.default_rng(27)
pos = rng.standard_normal((4, 3))
vel = 0.3 * rng.standard_normal((4, 3))
masses = rng.uniform(0.5, 1.5, 4)
f = leapfrog_energy_drift
KW = dict(wrt=("pos", "vel", "masses"))
ARGS = (pos, vel, masses)
