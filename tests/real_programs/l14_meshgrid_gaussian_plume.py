"""Gaussian plume source inversion: stack positions and emission rates, wind direction rotated with
np.cos/np.sin, receptor grid from np.meshgrid(indexing='ij'), downwind/crosswind distances, np.hypot
and np.where for upwind receptors, ground concentration integrated over a transect by np.trapezoid."""
import numpy as np


def plume(xr, yr, src, q, wind_dir, u=3.0, h=20.0):
    c, s = np.cos(wind_dir), np.sin(wind_dir)
    dx = xr[..., None] - src[:, 0]
    dy = yr[..., None] - src[:, 1]
    down = c * dx + s * dy
    cross = -s * dx + c * dy
    down_pos = np.where(down > 1.0, down, 1.0)
    sy = 0.08 * down_pos / np.sqrt(1 + 1e-4 * down_pos)
    sz = 0.06 * down_pos / np.sqrt(1 + 1.5e-3 * down_pos)
    conc = q / (np.pi * u * sy * sz) * np.exp(-0.5 * (cross / sy) ** 2 - 0.5 * (h / sz) ** 2)
    conc = np.where(down > 1.0, conc, 0.0)
    return conc.sum(axis=-1)


def inversion_loss(theta, sensors, obs, transect_x):
    nsrc = (len(theta) - 1) // 3
    src = theta[:2 * nsrc].reshape(nsrc, 2)
    q = np.exp(theta[2 * nsrc:3 * nsrc])
    wind = theta[-1]
    pred = plume(sensors[:, 0], sensors[:, 1], src, q, wind)
    X, Y = np.meshgrid(transect_x, np.linspace(-300, 300, 41), indexing="ij")
    field = plume(X, Y, src, q, wind)
    flux = np.trapezoid(field[-1], np.linspace(-300, 300, 41))
    dist = np.hypot(src[:, 0], src[:, 1])
    return np.mean((np.log1p(pred) - np.log1p(obs)) ** 2) + 1e-4 * (flux - 0.5) ** 2 + 1e-6 * np.sum(dist ** 2)


rng = np.random.default_rng(114)
sensors = np.column_stack([rng.uniform(150, 900, 14), rng.uniform(-200, 200, 14)])
truth = np.array([0.0, 20.0, 60.0, -40.0, np.log(40.0), np.log(25.0), 0.05])
obs = plume(sensors[:, 0], sensors[:, 1], truth[:4].reshape(2, 2), np.exp(truth[4:6]), truth[6]) * rng.lognormal(0, 0.1, 14)
transect_x = np.array([400.0, 800.0])
theta = truth + np.array([10.0, -8.0, 5.0, 6.0, 0.2, -0.1, 0.02])

f = inversion_loss
ARGS = (theta, sensors, obs, transect_x)
