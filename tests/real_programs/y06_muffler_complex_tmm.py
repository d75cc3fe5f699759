"""Reactive muffler design: a chain of duct segments (plane-wave 2x2 complex transfer matrices in
pressure/volume-velocity form) with expansion chambers of area S_i and length L_i.  Transmission
loss TL(f) = 20 log10(|T11 + T12/Zc + Zc T21 + T22| / 2) is evaluated on a frequency grid; the loss
is the negative mean TL over a target band plus a length penalty, differentiated w.r.t. the
chamber lengths and radii.  Complex arithmetic throughout (1j, np.exp of imaginary, np.abs)."""
import numpy as np

RHO, C0 = 1.2, 343.0
PIPE_R = 0.025
FREQS = np.linspace(100.0, 800.0, 36)


def segment_matrix(k, L, S):
    Z = RHO * C0 / S
    return np.array([[np.cos(k * L), 1j * Z * np.sin(k * L)],
                     [1j * np.sin(k * L) / Z, np.cos(k * L)]])


def transmission_loss(lengths, radii, freq):
    k = 2 * np.pi * freq / C0
    S_pipe = np.pi * PIPE_R ** 2
    M = np.eye(2, dtype=complex)
    for L, r in zip(lengths, radii):
        M = M @ segment_matrix(k, L, np.pi * r ** 2)
        M = M @ segment_matrix(k, 0.05, S_pipe)          # connecting pipe
    Zc = RHO * C0 / S_pipe
    t = M[0, 0] + M[0, 1] / Zc + Zc * M[1, 0] + M[1, 1]
    return 20.0 * np.log10(np.abs(t) / 2.0)


def objective(lengths, radii, band=(250.0, 600.0), length_cost=5.0):
    tls = [transmission_loss(lengths, radii, fr) for fr in FREQS if band[0] <= fr <= band[1]]
    return -np.mean(tls) + length_cost * np.sum(lengths)


f = objective
KW = dict(wrt=("lengths", "radii"))
ARGS = (np.array([0.3, 0.22]), np.array([0.08, 0.06]))
