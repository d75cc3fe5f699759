"""Layered-earth reflection tomography: interface depths from np.cumsum of thicknesses, a ray through
flat layers to a reflector at each receiver offset found by Newton's method on the ray parameter p
(Snell's law, a while loop with a tolerance), the two-way travel time summed over the down- and
up-going legs (reversed layer lists), misfit to picked times; gradient w.r.t. layer slownesses and
thicknesses."""
import numpy as np


def offset_and_time(p, v, h):
    cos_t = np.sqrt(1.0 - (p * v) ** 2)
    x = 2.0 * np.sum(h * p * v / cos_t)
    t = 2.0 * np.sum(h / (v * cos_t))
    dx_dp = 2.0 * np.sum(h * v / cos_t ** 3)
    return x, t, dx_dp


def shoot(offset, v, h, tol=1e-12):
    p = 0.5 * offset / (np.sum(h) * np.max(v)) / np.sqrt(1.0 + (offset / np.sum(h)) ** 2)
    x, t, dxdp = offset_and_time(p, v, h)
    n = 0
    while abs(x - offset) > tol * offset and n < 30:
        p = p - (x - offset) / dxdp
        x, t, dxdp = offset_and_time(p, v, h)
        n += 1
    return t


def picks_misfit(slowness, thickness, offsets, picked, reflector_layers):
    v_all = 1.0 / slowness
    depths = np.cumsum(thickness)
    misfit = 0.0
    for k, n_layers in enumerate(reflector_layers):
        v, h = v_all[:n_layers], thickness[:n_layers]
        times = np.array([shoot(x, v, h) for x in offsets])
        misfit += np.sum((times - picked[k]) ** 2)
    down = [s * d for s, d in zip(slowness, np.diff(np.concatenate([[0.0], depths])))]
    up = [s * d for s, d in zip(reversed(slowness), reversed(thickness))]
    vertical = sum(down) + sum(up)
    return misfit + 1e-3 * (vertical - 1.2) ** 2


offsets = np.array([100.0, 400.0, 800.0, 1200.0, 1600.0])
true_v, true_h = np.array([1500.0, 2100.0, 2800.0]), np.array([300.0, 500.0, 400.0])
picked = []
for n_layers in (2, 3):
    picked.append(np.array([shoot(x, true_v[:n_layers], true_h[:n_layers]) for x in offsets]))
slowness = 1.0 / np.array([1550.0, 2000.0, 2900.0])
thickness = np.array([280.0, 530.0, 380.0])
f = picks_misfit
KW = dict(wrt=("slowness", "thickness"))
ARGS = (slowness, thickness, offsets, picked, (2, 3))
