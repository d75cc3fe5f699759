"""Two-body orbit integrated with an adaptive Bogacki-Shampine RK23 (error estimate, accept/reject in
a while loop, step-size factor clamped with Python min/max); differentiated w.r.t. the launch
velocity to hit a target position at the final time."""
import numpy as np

GM = 1.0


def gravity(y):
    r = y[:2]
    return np.concatenate([y[2:], -GM * r / np.linalg.norm(r) ** 3])


def rk23(fun, y0, t_end, rtol=1e-6, atol=1e-9, h=0.01):
    t, y = 0.0, y0
    n_accept = 0
    while t < t_end:
        h = min(h, t_end - t)
        k1 = fun(y)
        k2 = fun(y + 0.5 * h * k1)
        k3 = fun(y + 0.75 * h * k2)
        y_new = y + h * (2 * k1 + 3 * k2 + 4 * k3) / 9
        k4 = fun(y_new)
        err_vec = h * (-5 * k1 / 72 + k2 / 12 + k3 / 9 - k4 / 8)
        scale = atol + rtol * np.maximum(np.abs(y), np.abs(y_new))
        err = np.sqrt(np.mean((err_vec / scale) ** 2))
        if err <= 1.0:
            t += h
            y = y_new
            n_accept += 1
        h = h * min(5.0, max(0.2, 0.9 * err ** (-1 / 3)))
    return y


def shooting_loss(v0, r0, target, t_end=2.0):
    y = rk23(gravity, np.concatenate([r0, v0]), t_end)
    return np.sum((y[:2] - target) ** 2)


r0 = np.array([1.0, 0.0])
v0 = np.array([0.1, 1.15])
target = np.array([-0.6, 0.9])

f = shooting_loss
ARGS = (v0, r0, target)
