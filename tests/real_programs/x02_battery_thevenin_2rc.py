"""Lithium-ion cell 2-RC Thevenin equivalent-circuit model identified from a pulse-discharge test:
cell parameters in a frozen dataclass built by a @classmethod from a dict of log-parameters,
open-circuit voltage looked up from an OCV(SOC) table with np.interp, coulomb counting for the
state of charge, exact zero-order-hold discretisation of each RC branch (math.exp of -dt/tau) in a
time loop over the current profile zipped with the measured voltage; RMS voltage error,
differentiated w.r.t. the log-parameter dict."""
import math
from dataclasses import dataclass

import numpy as np

SOC_TABLE = np.linspace(0.0, 1.0, 11)
OCV_TABLE = np.array([3.0, 3.35, 3.5, 3.58, 3.63, 3.68, 3.75, 3.84, 3.94, 4.05, 4.18])


@dataclass(frozen=True)
class Cell:
    r0: float
    r1: float
    c1: float
    r2: float
    c2: float
    capacity_ah: float = 2.5

    @classmethod
    def from_log(cls, logp):
        return cls(**{k: math.exp(v) for k, v in logp.items()})

    @property
    def tau1(self):
        return self.r1 * self.c1

    @property
    def tau2(self):
        return self.r2 * self.c2


def simulate(cell, current, dt=1.0, soc0=0.9):
    soc, v1, v2 = soc0, 0.0, 0.0
    a1, a2 = math.exp(-dt / cell.tau1), math.exp(-dt / cell.tau2)
    volts = []
    for i in current:
        v1 = a1 * v1 + cell.r1 * (1 - a1) * i
        v2 = a2 * v2 + cell.r2 * (1 - a2) * i
        soc = soc - i * dt / (3600.0 * cell.capacity_ah)
        ocv = np.interp(soc, SOC_TABLE, OCV_TABLE)
        volts.append(ocv - cell.r0 * i - v1 - v2)
    return np.array(volts)


def rms_error(logp, current, v_meas):
    v = simulate(Cell.from_log(logp), current)
    return math.sqrt(np.mean((v - v_meas) ** 2))


t = np.arange(600)
current = np.where((t % 200) < 60, 5.0, 0.0) + 0.3
truth = {"r0": math.log(0.015), "r1": math.log(0.01), "c1": math.log(2000.0), "r2": math.log(0.02), "c2": math.log(30000.0)}
v_meas = simulate(Cell.from_log(truth), current) + 1e-4 * np.sin(0.37 * t)
f = rms_error
ARGS = ({"r0": math.log(0.02), "r1": math.log(0.008), "c1": math.log(1500.0), "r2": math.log(0.025), "c2": math.log(20000.0)},
        current, v_meas)
