"""DTMF tone detection with the Goertzel algorithm, written as in embedded code: a scalar
second-order recursion s = x[n] + coeff * s1 - s2 per sample in a Python for loop over a frame,
the power s1^2 + s2^2 - coeff s1 s2 at each of the eight DTMF frequencies, row/column energies
normalised and turned into log-probabilities with a softmax; the loss is the cross-entropy of the
intended key under an additive noise + twist (level difference) model of the synthesised tone.
Differentiated w.r.t. the low/high tone amplitudes and the frequency offsets of the generator."""
import numpy as np

FS = 8000.0
ROWS = [697.0, 770.0, 852.0, 941.0]
COLS = [1209.0, 1336.0, 1477.0, 1633.0]


def goertzel_power(frame, freq):
    k = int(0.5 + len(frame) * freq / FS)
    coeff = 2.0 * np.cos(2.0 * np.pi * k / len(frame))
    s1 = s2 = 0.0
    for sample in frame:
        s = sample + coeff * s1 - s2
        s2, s1 = s1, s
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def log_softmax(v):
    m = max(v)
    lse = m + np.log(sum(np.exp(u - m) for u in v))
    return [u - lse for u in v]


def key_loss(amps, detune, noise, row=1, col=2, n=205):
    t = np.arange(n) / FS
    frame = amps[0] * np.sin(2 * np.pi * (ROWS[row] + detune[0]) * t) \
        + amps[1] * np.sin(2 * np.pi * (COLS[col] + detune[1]) * t) + noise
    row_e = [goertzel_power(frame, fr) / n for fr in ROWS]
    col_e = [goertzel_power(frame, fc) / n for fc in COLS]
    scale = 4.0 / (sum(row_e) + sum(col_e))
    lr = log_softmax([scale * e for e in row_e])
    lc = log_softmax([scale * e for e in col_e])
    return -(lr[row] + lc[col])


rng = np.random.default_rng(22)
f = key_loss
ARGS = (np.array([0.5, 0.4]), np.array([6.0, -9.0]), 0.3 * rng.standard_normal(205))
KW = {"wrt": ("amps", "detune")}
