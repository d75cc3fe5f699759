"""Schroeder/Freeverb-style reverb fitted to a measured impulse response: parallel low-pass
feedback comb filters and series all-pass filters written as small classes holding a circular
delay-line buffer (np.zeros), a write index advanced modulo the buffer length and a one-pole
damping state, processed sample by sample; `sum(c.process(x) for c in combs)` mixes the combs.
The loss compares frame energies (in dB) of the wet/dry output with the target response,
differentiated w.r.t. a dict of feedback gains, damping and wet level."""
import numpy as np

COMB_DELAYS = (23, 29, 31, 37)
ALLPASS_DELAYS = (5, 11)


class LowpassComb:
    def __init__(self, delay, feedback, damp):
        self.buf = np.zeros(delay)
        self.idx = 0
        self.store = 0.0
        self.feedback = feedback
        self.damp = damp

    def process(self, x):
        out = self.buf[self.idx]
        self.store = out * (1.0 - self.damp) + self.store * self.damp
        self.buf[self.idx] = x + self.store * self.feedback
        self.idx = (self.idx + 1) % len(self.buf)
        return out


class Allpass:
    def __init__(self, delay, gain=0.5):
        self.buf = np.zeros(delay)
        self.idx = 0
        self.gain = gain

    def process(self, x):
        delayed = self.buf[self.idx]
        out = -x + delayed
        self.buf[self.idx] = x + delayed * self.gain
        self.idx = (self.idx + 1) % len(self.buf)
        return out


def reverb(params, x):
    combs = [LowpassComb(d, params["feedback"][i], params["damp"]) for i, d in enumerate(COMB_DELAYS)]
    allpasses = [Allpass(d) for d in ALLPASS_DELAYS]
    out = np.zeros_like(x)
    for n in range(len(x)):
        y = sum(c.process(x[n]) for c in combs) / len(combs)
        for ap in allpasses:
            y = ap.process(y)
        out[n] = params["wet"] * y + (1.0 - params["wet"]) * x[n]
    return out


def frame_db(y, frame=32):
    frames = y[: len(y) // frame * frame].reshape(-1, frame)
    return 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-9)


def ir_loss(params, x, target_db):
    return np.mean((frame_db(reverb(params, x)) - target_db) ** 2)


impulse = np.zeros(320)
impulse[0] = 1.0
true = {"feedback": np.array([0.84, 0.82, 0.8, 0.78]), "damp": 0.3, "wet": 0.6}
target_db = frame_db(reverb(true, impulse))
f = ir_loss
ARGS = ({"feedback": np.array([0.75, 0.75, 0.75, 0.75]), "damp": 0.2, "wet": 0.5}, impulse, target_db)
