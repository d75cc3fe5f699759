"""Inviscid-to-viscous Burgers equation, first-order upwind advection chosen with np.where on the
sign of u, central diffusion, CFL-limited time step; the loss matches the final profile (data
assimilation of the initial condition)."""
import numpy as np

def burgers_step(u, dx, nu, cfl=0.4):
    umax = np.max(np.abs(u))
    dt = min(cfl * dx / (umax + 1e-8), 0.4 * dx * dx / nu)
    up = np.concatenate([u[1:], u[:1]])
    um = np.concatenate([u[-1:], u[:-1]])
    dudx = np.where(u > 0, (u - um) / dx, (up - u) / dx)
    d2udx2 = (up - 2 * u + um) / dx ** 2
    return u + dt * (-u * dudx + nu * d2udx2), dt

def assimilation_loss(u0, u_obs, nu=0.05, T=0.3, L=2 * np.pi):
    n = u0.shape[0]
    dx = L / n
    u, t = u0, 0.0
    steps = 0
    while t < T:
        u, dt = burgers_step(u, dx, nu)
        t += dt
        steps += 1
    return 0.5 * np.sum((u - u_obs) ** 2) * dx

n = 32
xg = np.linspace(0, 2 * np.pi, n, endpoint=False)
rng = np.random.default_rng(31)
f = assimilation_loss
ARGS = (np.sin(xg) + 0.5 + 0.05 * rng.standard_normal(n), np.sin(xg - 0.4) + 0.5)
EXTRA = ["checkpoint"]
