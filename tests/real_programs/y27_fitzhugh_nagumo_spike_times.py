"""Neuron model fitting to spike times: FitzHugh-Nagumo dynamics driven by a step current are
integrated with the midpoint method; spikes are detected as upward crossings of a voltage
threshold, the crossing time refined by linear interpolation between the two samples; integration
stops early (break) once the expected number of spikes is recorded.  The loss is the squared
difference between model and recorded spike times (missing spikes penalised by the end time),
differentiated w.r.t. the model parameters (a, b, tau, I)."""
import numpy as np

THRESH = 1.0
DT = 0.01
T_END = 200.0


def rhs(state, p):
    v, w = state
    dv = v - v ** 3 / 3.0 - w + p["I"]
    dw = (v + p["a"] - p["b"] * w) / p["tau"]
    return np.array([dv, dw])


def spike_times(p, n_expected):
    state = np.array([-1.2, -0.6])
    t = 0.0
    times = []
    v_prev = state[0]
    while t < T_END:
        k1 = rhs(state, p)
        state = state + DT * rhs(state + 0.5 * DT * k1, p)
        t += DT
        v = state[0]
        if v_prev < THRESH <= v:
            frac = (THRESH - v_prev) / (v - v_prev)
            times.append(t - DT + frac * DT)
            if len(times) == n_expected:
                break
        v_prev = v
    return times


def loss(p, recorded):
    model = spike_times(p, len(recorded))
    err = 0.0
    for k, t_rec in enumerate(recorded):
        t_mod = model[k] if k < len(model) else T_END
        err += (t_mod - t_rec) ** 2
    return err / len(recorded)


true = {"a": 0.7, "b": 0.8, "tau": 12.5, "I": 0.5}
recorded = np.array(spike_times(true, 4)) + np.array([0.05, -0.1, 0.02, 0.08])
f = loss
ARGS = ({"a": 0.68, "b": 0.82, "tau": 12.0, "I": 0.52}, recorded)
