"""A particle potential made of force-field terms: a base class Term with __init__(weight) and
energy() that calls an abstract _raw(); subclasses Spring, Gravity, SoftWall call
super().__init__(weight) and override _raw; one overrides energy() itself and calls
super().energy().  The terms live in a list argument; the total energy is differentiated w.r.t.
the positions."""
import numpy as np


class Term:
    def __init__(self, weight=1.0):
        self.weight = weight

    def energy(self, x):
        return self.weight * self._raw(x)

    def _raw(self, x):
        raise NotImplementedError


class Spring(Term):
    def __init__(self, k, rest, weight=1.0):
        super().__init__(weight)
        self.k = k
        self.rest = rest

    def _raw(self, x):
        d = np.sqrt(np.sum((x[1:] - x[:-1]) ** 2, axis=1))
        return 0.5 * self.k * np.sum((d - self.rest) ** 2)


class Gravity(Term):
    def __init__(self, g, masses):
        super().__init__(1.0)
        self.g = g
        self.masses = masses

    def _raw(self, x):
        return self.g * np.sum(self.masses * x[:, 1])


class SoftWall(Term):
    def __init__(self, floor, stiffness, weight=1.0):
        super().__init__(weight)
        self.floor = floor
        self.stiffness = stiffness

    def _raw(self, x):
        pen = np.logaddexp(0.0, self.stiffness * (self.floor - x[:, 1])) / self.stiffness
        return np.sum(pen ** 2)

    def energy(self, x):
        return 2.0 * super().energy(x)


def total_energy(x, terms):
    return sum(t.energy(x) for t in terms)


rng = np.random.default_rng(9)
x = np.cumsum(rng.uniform(0.5, 1.0, (6, 2)), axis=0) - np.array([0.0, 2.0])
terms = [Spring(10.0, 0.8), Gravity(9.81, np.linspace(1, 2, 6)), SoftWall(0.0, 5.0, weight=3.0)]

f = total_energy
ARGS = (x, terms)
