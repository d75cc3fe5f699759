"""Wavetable oscillator: a learnable single-cycle table read with a phase accumulator (cumsum of an
instantaneous frequency with vibrato, wrapped with np.mod), linear interpolation between table
entries, then a one-pole low-pass filter run sample by sample; fit to a recorded note."""
import numpy as np


def wavetable_read(table, phase):
    L = len(table)
    pos = phase * L
    i0 = np.floor(pos).astype(int)
    frac = pos - i0
    i1 = (i0 + 1) % L
    return (1.0 - frac) * table[i0 % L] + frac * table[i1]


def synth(table, f0, vib_depth, vib_rate=5.0, n=200, sr=4000.0, alpha=0.35):
    t = np.arange(n) / sr
    freq = f0 * (1.0 + vib_depth * np.sin(2 * np.pi * vib_rate * t))
    phase = np.mod(np.cumsum(freq) / sr, 1.0)
    x = wavetable_read(table, phase)
    y = np.empty_like(x)
    state = 0.0
    for i in range(n):
        state = state + alpha * (x[i] - state)
        y[i] = state
    return y


def loss(table, f0, vib_depth, target):
    y = synth(table, f0, vib_depth)
    smooth = np.sum((table - np.roll(table, 1)) ** 2)
    return np.mean((y - target) ** 2) + 1e-3 * smooth


rng = np.random.default_rng(502)
L = 32
grid = np.arange(L) / L
true_table = np.sin(2 * np.pi * grid) + 0.3 * np.sin(6 * np.pi * grid)
target = synth(true_table, 110.0, 0.02) + 0.005 * rng.standard_normal(200)
table = true_table + 0.1 * rng.standard_normal(L)

f = loss
KW = {"wrt": ("table", "f0", "vib_depth")}
ARGS = (table, 111.7, 0.015, target)
