"""Amari neural field on a ring of 48 units (a head-direction ring attractor): the lateral kernel is
a Mexican hat (difference of Gaussians, its four parameters unpacked with *theta into the helper),
the lateral input sums shifted copies of the rate vector taken with np.take(mode='wrap') (periodic
boundary), rates by a sigmoid, Euler integration with u += dt * ...; the loss asks the steady bump
to match a target bump after the cue is removed.  Differentiated w.r.t. theta."""
import numpy as np

N = 48
K = 10                     # kernel half width in units
DX = 2 * np.pi / N


def mexican_hat(d, a_exc, s_exc, a_inh, s_inh):
    return a_exc * np.exp(-d ** 2 / (2 * s_exc ** 2)) - a_inh * np.exp(-d ** 2 / (2 * s_inh ** 2))


def simulate(theta, cue, dt=0.1, steps=120, cue_steps=40, beta=4.0, thresh=0.3):
    offsets = np.arange(-K, K + 1)
    kernel = mexican_hat(offsets * DX, *theta)
    u = np.zeros(N)
    idx = np.arange(N)
    for step in range(steps):
        r = 1.0 / (1.0 + np.exp(-beta * (u - thresh)))
        lateral = np.zeros(N)
        for k, w in zip(offsets, kernel):
            lateral += w * np.take(r, idx + k, mode="wrap")
        inp = cue if step < cue_steps else 0.0
        u += dt * (-u + lateral * DX + inp)
    return u


def bump_loss(theta, cue, target):
    u = simulate(theta, cue)
    return np.mean((u - target) ** 2) + 1e-3 * np.sum(theta ** 2)


angles = np.arange(N) * DX
cue = 1.5 * np.exp(np.cos(angles - np.pi) - 1.0)
target = 0.8 * np.exp(2.0 * (np.cos(angles - np.pi) - 1.0)) - 0.1
f = bump_loss
ARGS = (np.array([3.0, 0.5, 1.5, 1.2]), cue, target)
