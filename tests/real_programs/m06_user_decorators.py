"""Decorators a user writes: @rescale(factor) multiplies a helper's output, @clip_output(lo, hi)
soft-clips it, both using functools.wraps; @count_calls keeps a module-level counter.  The loss
calls the decorated helpers; a physics-informed fit of a damped oscillator."""
import functools

import numpy as np

N_CALLS = 0
DT = 0.1


def rescale(factor):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return factor * fn(*args, **kwargs)
        return wrapper
    return deco


def soft_clip(lo, hi):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            out = fn(*args, **kwargs)
            mid, half = 0.5 * (lo + hi), 0.5 * (hi - lo)
            return mid + half * np.tanh((out - mid) / half)
        return wrapper
    return deco


@rescale(0.5)
def kinetic(v, m):
    return m * v ** 2


@soft_clip(-3.0, 3.0)
def trajectory(t, amp, damp, omega):
    return amp * np.exp(-damp * t) * np.cos(omega * t)


def fit_loss(theta, t, obs, m=2.0):
    amp, damp, omega = theta[0], theta[1], theta[2]
    x = trajectory(t, amp, damp, omega)
    v = np.gradient(x) / DT
    energy = kinetic(v, m)
    return np.mean((x - obs) ** 2) + 1e-3 * np.mean(energy)


t = np.linspace(0, 6, 60)
DT = t[1] - t[0]
obs = 2.5 * np.exp(-0.3 * t) * np.cos(2.0 * t)
theta = np.array([2.2, 0.25, 1.9])

f = fit_loss
ARGS = (theta, t, obs)
