"""Falkner-Skan boundary layer with wall suction: f''' + f f'' + beta (1 - f'^2) = 0, f(0) = fw,
f'(0) = 0, f'(inf) = 1, solved by shooting on the wall curvature f''(0) with secant iterations
until the far-field condition holds; the RK4 integration is a helper that returns the whole
profile.  The loss (wall shear and displacement thickness from np.trapezoid, against targets) is
differentiated w.r.t. the pressure-gradient parameter beta and the suction fw."""
import numpy as np

KINKED = "the secant iteration count is piecewise constant"


def rhs(y, beta):
    f, fp, fpp = y
    return np.array([fp, fpp, -f * fpp - beta * (1.0 - fp ** 2)])


def integrate(s, beta, fw, eta_max=6.0, n=240):
    h = eta_max / n
    y = np.array([fw, 0.0, s])
    prof = [y]
    for _ in range(n):
        k1 = rhs(y, beta)
        k2 = rhs(y + 0.5 * h * k1, beta)
        k3 = rhs(y + 0.5 * h * k2, beta)
        k4 = rhs(y + h * k3, beta)
        y = y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        prof.append(y)
    return np.array(prof), h


def shoot(beta, fw, s0=0.5, s1=1.0, tol=1e-11, max_iter=40):
    prof0, _ = integrate(s0, beta, fw)
    r0 = prof0[-1, 1] - 1.0
    prof1, h = integrate(s1, beta, fw)
    r1 = prof1[-1, 1] - 1.0
    it = 0
    while abs(r1) > tol and it < max_iter:
        s0, s1 = s1, s1 - r1 * (s1 - s0) / (r1 - r0)
        r0 = r1
        prof1, h = integrate(s1, beta, fw)
        r1 = prof1[-1, 1] - 1.0
        it += 1
    return s1, prof1, h


def loss(beta, fw, tau_target=1.1, delta_target=0.6):
    s, prof, h = shoot(beta, fw)
    disp = np.trapezoid(1.0 - prof[:, 1], dx=h)
    return (s - tau_target) ** 2 + (disp - delta_target) ** 2


f = loss
ARGS = (0.3, 0.4)
KW = {"wrt": ("beta", "fw")}
