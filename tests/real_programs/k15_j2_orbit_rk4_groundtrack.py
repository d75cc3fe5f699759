"""Low-Earth-orbit propagation with the J2 oblateness perturbation: Cartesian state [r, v] integrated
with RK4 (states appended to a Python list, np.array at the end), acceleration from a helper that
computes the J2 terms with z^2/r^2 factors, Earth rotation for an approximate ground track via
arctan2/arcsin of the rotated position, and the loss compares the sub-satellite latitudes and a
final-radius requirement to targets.  Differentiated w.r.t. the initial velocity vector."""
import numpy as np

MU = 398600.4418
RE = 6378.137
J2 = 1.08263e-3
WE = 7.2921159e-5


def accel(r):
    x, y, z = r
    rn = np.linalg.norm(r)
    k = 1.5 * J2 * MU * RE ** 2 / rn ** 5
    zz = 5 * z ** 2 / rn ** 2
    a_j2 = k * np.array([x * (zz - 1), y * (zz - 1), z * (zz - 3)])
    return -MU * r / rn ** 3 + a_j2


def deriv(s):
    return np.concatenate([s[3:], accel(s[:3])])


def propagate(s0, dt, steps):
    states = [s0]
    s = s0
    for _ in range(steps):
        k1 = deriv(s)
        k2 = deriv(s + dt / 2 * k1)
        k3 = deriv(s + dt / 2 * k2)
        k4 = deriv(s + dt * k3)
        s = s + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        states.append(s)
    return np.array(states)


def groundtrack_loss(v0, r0, target_lat, dt=30.0, steps=120):
    traj = propagate(np.concatenate([r0, v0]), dt, steps)
    t = dt * np.arange(steps + 1)
    r = traj[:, :3]
    lat = np.arcsin(r[:, 2] / np.linalg.norm(r, axis=1))
    lon = np.arctan2(r[:, 1], r[:, 0]) - WE * t
    idx = np.arange(0, steps + 1, 20)
    final_alt = np.linalg.norm(r[-1]) - RE
    return float(np.sum((np.degrees(lat[idx]) - target_lat) ** 2) + 1e-3 * (final_alt - 700.0) ** 2
                 + 1e-6 * np.sum(np.cos(lon)))


r0 = np.array([RE + 700.0, 0.0, 0.0])
target_lat = np.array([0.0, 52.0, 75.0, 40.0, -20.0, -70.0, -60.0])
f = groundtrack_loss
ARGS = (np.array([0.0, 1.0, 7.4]), r0, target_lat)
