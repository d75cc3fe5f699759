"""Heat-recovery train design with the effectiveness-NTU method: three counter-flow exchangers in
series on a hot stream, each cooling it against its own cold stream; C_min / C_max from Python's
min() and max() of floats, effectiveness with math.exp, outlet temperatures carried down the
train, the streams in a dict iterated with .items(); the cost (annualised area cost minus recovered
heat) is differentiated w.r.t. the exchangers' UA values (a dict of floats)."""
import math

import numpy as np


def effectiveness_counterflow(ntu, cr):
    if abs(1.0 - cr) < 1e-9:
        return ntu / (1.0 + ntu)
    e = math.exp(-ntu * (1.0 - cr))
    return (1.0 - e) / (1.0 - cr * e)


def exchanger(ua, t_hot_in, c_hot, t_cold_in, c_cold):
    c_min, c_max = min(c_hot, c_cold), max(c_hot, c_cold)
    eps = effectiveness_counterflow(ua / c_min, c_min / c_max)
    q = eps * c_min * (t_hot_in - t_cold_in)
    return q, t_hot_in - q / c_hot, t_cold_in + q / c_cold


def train_cost(ua, streams, t_hot=180.0, c_hot=12.0, price_heat=0.04, hours=8000.0):
    t = t_hot
    recovered = 0.0
    outlets = {}
    for name, (t_cold_in, c_cold) in streams.items():
        q, t, t_cold_out = exchanger(ua[name], t, c_hot, t_cold_in, c_cold)
        recovered += q
        outlets[name] = t_cold_out
    area_cost = sum(350.0 * (u / 0.8) ** 0.8 for u in ua.values())
    penalty = sum(max(0.0, 95.0 - T) ** 2 for T in outlets.values())
    return area_cost - price_heat * hours * recovered + 10.0 * penalty


streams = {"boiler_feed": (40.0, 8.0), "process_water": (25.0, 15.0), "air_preheat": (15.0, 5.0)}
ua = {"boiler_feed": 9.0, "process_water": 14.0, "air_preheat": 4.0}
f = train_cost
ARGS = (ua, streams)
