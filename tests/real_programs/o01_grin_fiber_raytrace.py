"""Ray tracing through a graded-index (GRIN) fibre of parabolic profile: a fan of meridional and
skew rays integrated with the optical ray equation d/ds (n dr/ds) = grad n by a midpoint (RK2)
scheme in the arc length, then carried to the exit plane by a straight-line correction.  The loss
is the RMS spot radius at the exit plus a penalty on the numerical aperture; differentiated w.r.t.
the gradient constant alpha and core index n0."""
import numpy as np


def index(x, y, n0, alpha):
    r2 = x ** 2 + y ** 2
    return n0 * np.sqrt(1.0 - alpha ** 2 * r2)


def grad_index(x, y, n0, alpha):
    n = index(x, y, n0, alpha)
    fac = -n0 ** 2 * alpha ** 2 / n
    return fac * x, fac * y


def rhs(state, n0, alpha):
    x, y, z, px, py, pz = state
    n = index(x, y, n0, alpha)
    gx, gy = grad_index(x, y, n0, alpha)
    return (px / n, py / n, pz / n, gx, gy, np.zeros_like(pz))


def launch(n0, alpha, heights, angles):
    x = heights * np.cos(angles)
    y = heights * np.sin(angles) * 0.5
    theta = 0.08 * (1.0 + angles / np.pi)
    n = index(x, y, n0, alpha)
    px = n * np.sin(theta) * np.cos(angles)
    py = n * np.sin(theta) * np.sin(angles)
    pz = n * np.cos(theta)
    return [x, y, np.zeros_like(x), px, py, pz]


def spot_loss(alpha, n0, heights, angles, length=2.0, n_steps=60, na_target=0.2):
    state = launch(n0, alpha, heights, angles)
    ds = length / n_steps
    for _ in range(n_steps):
        k1 = rhs(state, n0, alpha)
        mid = [s + 0.5 * ds * k for s, k in zip(state, k1)]
        k2 = rhs(mid, n0, alpha)
        state = [s + ds * k for s, k in zip(state, k2)]
    x, y, z, px, py, pz = state
    t = (length - z) / pz                 # straight line to the exit plane
    x_out = x + t * px
    y_out = y + t * py
    spot = np.sqrt(np.mean((x_out - x_out.mean()) ** 2 + (y_out - y_out.mean()) ** 2))
    na = n0 * np.sqrt(1.0 - (1.0 - alpha ** 2 * 0.05 ** 2))
    return spot + 10.0 * (na - na_target) ** 2


rng = np.random.default_rng(1)
f = spot_loss
ARGS = (3.0, 1.48, 0.05 * rng.uniform(0.2, 1.0, 12), rng.uniform(0, 2 * np.pi, 12))
KW = {"wrt": ("alpha", "n0")}
