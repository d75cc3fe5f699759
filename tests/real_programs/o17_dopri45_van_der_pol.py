"""Dormand-Prince 5(4) integration with adaptive step size control of the van der Pol oscillator:
the Butcher tableau as lists of lists, stages built in a list and combined by sum over zip, the
error norm scaled by atol/rtol, steps accepted or rejected, the step factor clamped with the
min/max builtins and the last step shortened to land on T.  The loss (mismatch of the end state
and of the sampled trajectory energy) is differentiated w.r.t. mu and the initial state."""
import numpy as np

KINKED = "accept/reject decisions and the step count are piecewise constant in the inputs"

C = [0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0]
A = [[], [1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
     [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
     [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
     [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
B5 = [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0]
B4 = [5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]


def vdp(t, y, mu):
    return np.array([y[1], mu * (1.0 - y[0] ** 2) * y[1] - y[0]])


def dopri_step(fun, t, y, h):
    ks = []
    for c, row in zip(C, A):
        yi = y + h * sum(a * k for a, k in zip(row, ks)) if row else y
        ks.append(fun(t + c * h, yi))
    y5 = y + h * sum(b * k for b, k in zip(B5, ks))
    y4 = y + h * sum(b * k for b, k in zip(B4, ks))
    return y5, y5 - y4


def integrate(mu, y0, T=4.0, h=0.1, rtol=1e-6, atol=1e-8):
    fun = lambda t, y: vdp(t, y, mu)
    t, y = 0.0, y0
    energies = []
    while t < T:
        h = min(h, T - t)
        y_new, err_vec = dopri_step(fun, t, y, h)
        scale = atol + rtol * np.maximum(np.abs(y), np.abs(y_new))
        err = np.sqrt(np.mean((err_vec / scale) ** 2))
        if err <= 1.0:
            t, y = t + h, y_new
            energies.append(0.5 * (y[0] ** 2 + y[1] ** 2))
        h = h * min(5.0, max(0.2, 0.9 * err ** -0.2))
    return y, np.array(energies)


def loss(mu, y0, y_target):
    y, e = integrate(mu, y0)
    return np.sum((y - y_target) ** 2) + 0.01 * np.mean(e)


f = loss
ARGS = (1.3, np.array([2.0, 0.1]), np.array([-1.0, 1.5]))
KW = {"wrt": ("mu", "y0")}
