"""Fitting the maximal conductances of a Hodgkin-Huxley neuron to a recorded voltage trace: the six
rate functions as small module-level helpers (alpha_n's removable singularity and all), forward
Euler over an injected-current array, the trace collected in a list; the conductances are unpacked
from an array and the loss is the MSE on a subsampled trace."""
import numpy as np

E_NA, E_K, E_L, C_M = 50.0, -77.0, -54.387, 1.0


def alpha_m(V): return 0.1 * (V + 40.0) / (1.0 - np.exp(-(V + 40.0) / 10.0))
def beta_m(V): return 4.0 * np.exp(-(V + 65.0) / 18.0)
def alpha_h(V): return 0.07 * np.exp(-(V + 65.0) / 20.0)
def beta_h(V): return 1.0 / (1.0 + np.exp(-(V + 35.0) / 10.0))
def alpha_n(V): return 0.01 * (V + 55.0) / (1.0 - np.exp(-(V + 55.0) / 10.0))
def beta_n(V): return 0.125 * np.exp(-(V + 65) / 80.0)


def simulate(g, I_ext, dt=0.05):
    g_na, g_k, g_l = g
    V, m, h, n = -65.0, 0.053, 0.596, 0.318
    trace = []
    for I in I_ext:
        i_na = g_na * m ** 3 * h * (V - E_NA)
        i_k = g_k * n ** 4 * (V - E_K)
        i_l = g_l * (V - E_L)
        V_new = V + dt * (I - i_na - i_k - i_l) / C_M
        m = m + dt * (alpha_m(V) * (1 - m) - beta_m(V) * m)
        h = h + dt * (alpha_h(V) * (1 - h) - beta_h(V) * h)
        n = n + dt * (alpha_n(V) * (1 - n) - beta_n(V) * n)
        V = V_new
        trace.append(V)
    return np.array(trace)


def trace_loss(g, I_ext, v_obs, every=5):
    v = simulate(g, I_ext)
    return np.mean((v[::every] - v_obs[::every]) ** 2)


t = np.arange(0, 12.0, 0.05)
I_ext = np.where((t > 2.0) & (t < 9.0), 6.0, 0.0)
v_obs = simulate(np.array([120.0, 36.0, 0.3]), I_ext)
f = trace_loss
ARGS = (np.array([110.0, 40.0, 0.25]), I_ext, v_obs)
