"""Galaxy rotation curve decomposition: an abstract base class `MassComponent` with subclasses
for an exponential disk (Freeman, via scipy.special.i0/i1/k0/k1 Bessel functions), a Hernquist
bulge and an NFW dark-matter halo, each with a `v2(r)` method; the model circular speed is
`np.sqrt(sum(c.v2(r) for c in components))`; chi-square against observed speeds with errors,
differentiated w.r.t. a dict of log-parameters the components are built from."""
from abc import ABC, abstractmethod

import numpy as np
from scipy import special

G = 4.30091e-6  # kpc (km/s)^2 / Msun


class MassComponent(ABC):
    @abstractmethod
    def v2(self, r):
        ...


class ExponentialDisk(MassComponent):
    def __init__(self, mass, scale):
        self.mass, self.scale = mass, scale

    def v2(self, r):
        y = r / (2 * self.scale)
        sigma0 = self.mass / (2 * np.pi * self.scale ** 2)
        bessel = special.i0(y) * special.k0(y) - special.i1(y) * special.k1(y)
        return 4 * np.pi * G * sigma0 * self.scale * y ** 2 * bessel


class HernquistBulge(MassComponent):
    def __init__(self, mass, a):
        self.mass, self.a = mass, a

    def v2(self, r):
        return G * self.mass * r / (r + self.a) ** 2


class NFWHalo(MassComponent):
    def __init__(self, rho_s, r_s):
        self.rho_s, self.r_s = rho_s, r_s

    def v2(self, r):
        x = r / self.r_s
        m = 4 * np.pi * self.rho_s * self.r_s ** 3 * (np.log1p(x) - x / (1 + x))
        return G * m / r


def chi2(logp, r, v_obs, v_err):
    p = {k: np.exp(v) for k, v in logp.items()}
    components = [
        ExponentialDisk(p["m_disk"], p["r_disk"]),
        HernquistBulge(p["m_bulge"], p["a_bulge"]),
        NFWHalo(p["rho_s"], p["r_s"]),
    ]
    v_model = np.sqrt(sum(c.v2(r) for c in components))
    return np.sum(((v_model - v_obs) / v_err) ** 2)


r = np.linspace(0.5, 30.0, 40)
truth = {"m_disk": 5e10, "r_disk": 3.0, "m_bulge": 1e10, "a_bulge": 0.7, "rho_s": 1e7, "r_s": 15.0}
comps = [ExponentialDisk(truth["m_disk"], truth["r_disk"]), HernquistBulge(truth["m_bulge"], truth["a_bulge"]),
         NFWHalo(truth["rho_s"], truth["r_s"])]
v_err = np.full_like(r, 5.0)
v_obs = np.sqrt(sum(c.v2(r) for c in comps)) + 3.0 * np.sin(r)
f = chi2
ARGS = ({"m_disk": np.log(4e10), "r_disk": np.log(2.5), "m_bulge": np.log(1.5e10), "a_bulge": np.log(0.5),
         "rho_s": np.log(8e6), "r_s": np.log(12.0)}, r, v_obs, v_err)
