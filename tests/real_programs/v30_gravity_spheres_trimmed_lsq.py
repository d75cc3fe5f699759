"""Inverting a gravity profile for buried spheres with least trimmed squares: each sphere's anomaly
G m z / ((x - x0)^2 + z^2)^(3/2) accumulated with `gz +=` in a loop over the rows of the parameter
array (each unpacked into x0, depth, density contrast, radius); the residuals squared, sorted with
np.sort and the smallest 80% summed (robust to the outlier stations)."""
import numpy as np

G = 6.674e-3


def gravity_anomaly(xs, spheres):
    gz = np.zeros_like(xs)
    for x0, depth, drho, radius in spheres:
        mass = 4.0 / 3.0 * np.pi * radius ** 3 * drho
        gz += G * mass * depth / ((xs - x0) ** 2 + depth ** 2) ** 1.5
    return gz


def lts_loss(spheres, xs, obs, keep=0.8):
    r2 = (gravity_anomaly(xs, spheres) - obs) ** 2
    h = int(keep * len(r2))
    return np.sort(r2)[:h].sum()


rng = np.random.default_rng(730)
xs = np.linspace(-50, 50, 41)
truth = np.array([[-10.0, 12.0, 0.5, 6.0], [15.0, 8.0, -0.3, 4.0]])
obs = gravity_anomaly(xs, truth) + 0.002 * rng.standard_normal(41)
obs[[5, 20, 33]] += np.array([0.3, -0.25, 0.4])
f = lts_loss
ARGS = (np.array([[-8.0, 10.0, 0.4, 5.5], [13.0, 9.0, -0.25, 4.5]]), xs, obs)
