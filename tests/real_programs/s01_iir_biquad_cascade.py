"""Fit a cascade of second-order IIR sections (biquads, direct form I) to a target impulse
response.  Each section is a (b, a) pair of coefficient arrays kept in a list; the filter runs
sample by sample in a Python loop, the way DSP code is usually first written."""
import numpy as np


def biquad(x, b, a):
    """y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2]"""
    y = np.zeros_like(x)
    x1 = x2 = 0.0
    y1 = y2 = 0.0
    for n in range(len(x)):
        yn = b[0] * x[n] + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2
        y[n] = yn
        x2, x1 = x1, x[n]
        y2, y1 = y1, yn
    return y


def cascade(x, sections, gain=1.0):
    for b, a in sections:
        x = biquad(x, b, a)
    return gain * x


def response_loss(sections, target, n=40):
    impulse = np.zeros(n)
    impulse[0] = 1.0
    h = cascade(impulse, sections)
    err = h - target
    # heavier weight on early taps
    w = np.exp(-np.arange(n) / 15.0)
    return np.sum(w * err ** 2)


rng = np.random.default_rng(1)
true_sections = [(np.array([0.2, 0.4, 0.2]), np.array([-0.6, 0.2])),
                 (np.array([1.0, -0.5, 0.1]), np.array([0.3, 0.15]))]
imp = np.zeros(40)
imp[0] = 1.0
target = cascade(imp, true_sections) + 0.001 * rng.standard_normal(40)
sections = [(b + 0.05 * rng.standard_normal(3), a + 0.05 * rng.standard_normal(2)) for b, a in true_sections]

f = response_loss
ARGS = (sections, target)
