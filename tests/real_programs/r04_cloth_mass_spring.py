"""Hanging cloth as a mass-spring grid (structural and shear springs), two pinned corners,
semi-implicit Euler with damping; fit the per-spring stiffnesses so the cloth's final shape
matches a target."""
import numpy as np

MASS = 0.1
GRAVITY = np.array([0.0, 0.0, -9.81])


class Cloth:
    def __init__(self, n, spacing=0.1):
        idx = np.arange(n * n).reshape(n, n)
        springs = []
        for i in range(n):
            for j in range(n):
                if j + 1 < n:
                    springs.append((idx[i, j], idx[i, j + 1]))
                if i + 1 < n:
                    springs.append((idx[i, j], idx[i + 1, j]))
                if i + 1 < n and j + 1 < n:
                    springs.append((idx[i, j], idx[i + 1, j + 1]))
        self.springs = np.array(springs)
        gx, gy = np.meshgrid(np.arange(n) * spacing, np.arange(n) * spacing)
        self.x0 = np.stack([gx.ravel(), gy.ravel(), np.zeros(n * n)], axis=1)
        a, b = self.springs[:, 0], self.springs[:, 1]
        self.rest = np.linalg.norm(self.x0[b] - self.x0[a], axis=1)
        self.pinned = np.array([idx[0, 0], idx[0, n - 1]])

    def forces(self, x, k):
        i, j = self.springs[:, 0], self.springs[:, 1]
        d = x[j] - x[i]
        length = np.linalg.norm(d, axis=1)
        fvec = (k * (length - self.rest) / length)[:, None] * d
        F = np.zeros_like(x)
        np.add.at(F, i, fvec)
        np.add.at(F, j, -fvec)
        return F + MASS * GRAVITY


def simulate(k, cloth, steps=30, dt=0.01, damping=0.02):
    x = cloth.x0.copy()
    v = np.zeros_like(x)
    for _ in range(steps):
        a = cloth.forces(x, k) / MASS
        v = (1 - damping) * v + dt * a
        v[cloth.pinned] = 0.0
        x = x + dt * v
    return x


def shape_loss(k, cloth, target):
    x = simulate(k, cloth)
    return np.mean(np.sum((x - target) ** 2, axis=1))


rng = np.random.default_rng(104)
cloth = Cloth(5)
n_springs = len(cloth.springs)
target = simulate(np.full(n_springs, 40.0), cloth) + 0.002 * rng.standard_normal((25, 3))

f = shape_loss
ARGS = (rng.uniform(25.0, 50.0, n_springs), cloth, target)
