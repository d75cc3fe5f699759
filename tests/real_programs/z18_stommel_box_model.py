"""Stommel's two-box thermohaline circulation model: the ocean state is a frozen dataclass (T1, T2,
S1, S2) with class-level constants, a classmethod constructor and arithmetic helpers; the
overturning q = k (alpha dT - beta dS) enters the advection through |q|, surface restoring and a
seasonal freshwater flux drive it, integrated by the midpoint rule (dataclasses.replace for the
updated state).  The loss fits the simulated overturning to an observed series.  Differentiated
w.r.t. the parameter dict (log k, freshwater amplitude, restoring rate)."""
import dataclasses
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Ocean:
    T1: float
    T2: float
    S1: float
    S2: float

    ALPHA = 2e-4
    BETA = 8e-4
    T_STAR = (25.0, 5.0)

    @classmethod
    def initial(cls):
        return cls(T1=20.0, T2=8.0, S1=35.5, S2=34.5)

    def flow(self, k):
        return k * (self.ALPHA * (self.T1 - self.T2) - self.BETA * (self.S1 - self.S2))


def tendency(state, params, t):
    k = np.exp(params["log_k"])
    q = state.flow(k)
    lam = params["restore"]
    F = params["fw_amp"] * (1.0 + 0.5 * np.sin(2 * np.pi * t))
    dT1 = lam * (Ocean.T_STAR[0] - state.T1) - abs(q) * (state.T1 - state.T2)
    dT2 = lam * (Ocean.T_STAR[1] - state.T2) + abs(q) * (state.T1 - state.T2)
    dS1 = F - abs(q) * (state.S1 - state.S2)
    dS2 = -F + abs(q) * (state.S1 - state.S2)
    return Ocean(dT1, dT2, dS1, dS2)


def step(state, d, h):
    return dataclasses.replace(state, T1=state.T1 + h * d.T1, T2=state.T2 + h * d.T2,
                               S1=state.S1 + h * d.S1, S2=state.S2 + h * d.S2)


def fit_loss(params, q_obs, dt=0.05):
    state = Ocean.initial()
    k = np.exp(params["log_k"])
    qs = []
    t = 0.0
    for _ in range(len(q_obs)):
        k1 = tendency(state, params, t)
        mid = step(state, k1, 0.5 * dt)
        k2 = tendency(mid, params, t + 0.5 * dt)
        state = step(state, k2, dt)
        t += dt
        qs.append(state.flow(k))
    qs = np.array(qs)
    return np.mean((qs - q_obs) ** 2) * 1e2


rng = np.random.default_rng(18)
q_obs = 0.8 + 0.1 * np.sin(np.linspace(0, 6, 60)) + 0.02 * rng.standard_normal(60)
f = fit_loss
ARGS = ({"log_k": np.log(300.0), "fw_amp": 0.1, "restore": 1.0}, q_obs)
