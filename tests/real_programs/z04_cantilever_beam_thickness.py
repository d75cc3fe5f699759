"""Variable-thickness cantilever: an Euler-Bernoulli beam on a uniform grid (second-difference
operator from shifted identities, clamped root by dropping the first two nodes), stiffness
K = D2^T diag(EI) D2 dx, tip and distributed loads, compliance f.w, plus a volume constraint by
quadratic penalty and a smoothness penalty on the thickness profile; bending stress recovered from
the curvature by np.gradient.  The beam is a dataclass with properties.  Differentiated w.r.t. the
thickness at the nodes."""
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Beam:
    length: float = 2.0
    width: float = 0.1
    E: float = 7000.0                    # scaled units
    n: int = 30
    loads: dict = field(default_factory=lambda: {"tip": 1.0, "uniform": 0.2})

    @property
    def dx(self):
        return self.length / self.n

    def second_difference(self):
        m, k = self.n - 1, self.n + 1
        return (np.eye(m, k) - 2.0 * np.eye(m, k, 1) + np.eye(m, k, 2)) / self.dx ** 2

    def load_vector(self):
        f = np.full(self.n + 1, self.loads["uniform"] * self.dx)
        f[-1] += self.loads["tip"]
        return f


def compliance(h, beam, v_target=0.012, rho=1e4, smooth=1e-2):
    D2 = beam.second_difference()
    h_mid = h[1:-1]
    EI = beam.E * beam.width * h_mid ** 3 / 12.0
    K = D2.T @ (EI[:, None] * D2) * beam.dx
    f = beam.load_vector()
    free = slice(2, None)                     # w0 = w1 = 0: clamped
    w = np.zeros(beam.n + 1)
    w[free] = np.linalg.solve(K[free, free], f[free])
    C = f @ w
    volume = beam.width * np.trapezoid(h, dx=beam.dx)
    curvature = np.gradient(np.gradient(w, beam.dx), beam.dx)
    stress = beam.E * curvature * h / 2.0
    return C + rho * (volume - v_target) ** 2 + smooth * np.sum(np.diff(h) ** 2) + 1e-6 * np.max(np.abs(stress))


beam = Beam()
rng = np.random.default_rng(4)
f = compliance
ARGS = (0.06 + 0.01 * rng.random(beam.n + 1), beam)
