"""A four-box global carbon cycle (atmosphere, land biosphere, surface and deep ocean) coupled to a
two-layer energy-balance temperature model, stepped yearly under an emissions scenario.  The
state is a dataclass, advanced by a method that returns a new state; the parameters live in a dict.
CO2 fertilisation is logarithmic, ocean uptake weakens with warming.  The fit to observed CO2 and
temperature anomalies is differentiated w.r.t. the parameter dict."""
from dataclasses import dataclass

import numpy as np

C_PRE = 590.0        # GtC in the pre-industrial atmosphere
PPM_PER_GTC = 1.0 / 2.124


@dataclass
class Earth:
    atm: float
    land: float
    surf: float
    deep: float
    T: float
    T_deep: float

    def forcing(self):
        return 5.35 * np.log(self.atm / C_PRE)

    def step(self, emis, p):
        fert = p["npp0"] * p["beta_fert"] * np.log(self.atm / C_PRE)
        resp = p["k_land"] * (self.land - 2300.0) * p["q10"] ** (self.T / 10.0)
        uptake = p["k_ocean"] * (self.atm - C_PRE * (self.surf / 900.0)) * (1.0 - p["gamma_T"] * self.T)
        mix = p["k_deep"] * (self.surf / 900.0 - self.deep / 37000.0) * 900.0
        F = self.forcing()
        T_new = self.T + (F - p["lam"] * self.T - p["kappa"] * (self.T - self.T_deep)) / p["c_up"]
        Td_new = self.T_deep + p["kappa"] * (self.T - self.T_deep) / p["c_deep"]
        return Earth(self.atm + emis - fert + resp - uptake, self.land + fert - resp,
                     self.surf + uptake - mix, self.deep + mix, T_new, Td_new)


def misfit(p, emissions, co2_obs, T_obs):
    e = Earth(C_PRE, 2300.0, 900.0, 37000.0, 0.0, 0.0)
    co2, temps = [], []
    for emis in emissions:
        e = e.step(emis, p)
        co2.append(e.atm * PPM_PER_GTC)
        temps.append(e.T)
    co2, temps = np.array(co2), np.array(temps)
    return np.mean((co2 - co2_obs) ** 2) / 25.0 + np.mean((temps - T_obs) ** 2) / 0.01


years = np.arange(1850, 2021)
emissions = 0.2 + 10.0 / (1.0 + np.exp(-(years - 1985) / 18.0))
p0 = {"npp0": 60.0, "beta_fert": 0.4, "k_land": 0.02, "q10": 2.0, "k_ocean": 0.12, "gamma_T": 0.05,
      "k_deep": 0.03, "lam": 1.2, "kappa": 0.7, "c_up": 8.0, "c_deep": 100.0}
rng = np.random.default_rng(20)
e = Earth(C_PRE, 2300.0, 900.0, 37000.0, 0.0, 0.0)
co2_obs, T_obs = [], []
for em in emissions:
    e = e.step(em, p0)
    co2_obs.append(e.atm * PPM_PER_GTC + rng.normal(0, 2.0))
    T_obs.append(e.T + rng.normal(0, 0.1))
f = misfit
ARGS = ({k: v * (1 + 0.05 * rng.standard_normal()) for k, v in p0.items()}, emissions, np.array(co2_obs), np.array(T_obs))
