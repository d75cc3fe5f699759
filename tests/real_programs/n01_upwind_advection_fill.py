"""1-D linear advection with a spatially varying velocity, first-order upwind, preallocated
state array filled in a time loop; velocity field parameters fitted to a final snapshot."""
import numpy as np


def advect(c, u0, u1, nx=40, nt=30, L=1.0, T=0.3):
    dx = L / nx
    dt = T / nt
    x = (np.arange(nx) + 0.5) * dx
    u = u0 + u1 * np.sin(2 * np.pi * x)
    q = np.exp(-((x - 0.3) / 0.08) ** 2) * c
    hist = np.zeros((nt + 1, nx))
    hist[0] = q
    for n in range(nt):
        flux = np.zeros(nx + 1)
        for i in range(1, nx):
            uf = 0.5 * (u[i - 1] + u[i])
            if uf > 0:
                flux[i] = uf * q[i - 1]
            else:
                flux[i] = uf * q[i]
        flux[0] = flux[nx - 1]
        flux[nx] = flux[1]
        q = q - dt / dx * (flux[1:] - flux[:-1])
        hist[n + 1, :] = q
    return hist


def loss(params, target):
    c, u0, u1 = params[0], params[1], params[2]
    hist = advect(c, u0, u1)
    r = hist[-1] - target
    return np.sum(r ** 2) + 0.01 * np.sum(hist[:, ::5] ** 2)


target = advect(1.0, 0.8, 0.3)[-1]
f = loss
ARGS = (np.array([0.9, 0.7, 0.25]), target)
