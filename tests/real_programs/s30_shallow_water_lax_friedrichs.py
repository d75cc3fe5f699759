"""1-D shallow-water equations over a bathymetry, Lax-Friedrichs finite volumes with reflective
walls (ghost cells through np.concatenate), conserved variables (h, hu) stacked in one array, a CFL
assertion with an f-string; loss: misfit of gauge readings w.r.t. the bed profile."""
import numpy as np

G = 9.81


def flux(U):
    h, hu = U
    u = hu / h
    return np.stack([hu, hu * u + 0.5 * G * h ** 2])


def with_walls(U):
    h, hu = U
    h_ext = np.concatenate([h[:1], h, h[-1:]])
    hu_ext = np.concatenate([-hu[:1], hu, -hu[-1:]])
    return np.stack([h_ext, hu_ext])


def step(U, bed, dx, dt):
    Ue = with_walls(U)
    F = flux(Ue)
    U_new = 0.5 * (Ue[:, 2:] + Ue[:, :-2]) - dt / (2 * dx) * (F[:, 2:] - F[:, :-2])
    # bed slope source term
    eta = U[0] + bed
    bed_e = np.concatenate([bed[:1], bed, bed[-1:]])
    slope = (bed_e[2:] - bed_e[:-2]) / (2 * dx)
    src = np.stack([np.zeros_like(slope), -G * U[0] * slope])
    return U_new + dt * src


def gauge_misfit(bed, h0, gauges, readings, dx=0.1, dt=0.01, n_steps=40):
    U = np.stack([h0 - bed, np.zeros_like(h0)])
    c = np.max(np.sqrt(G * U[0]))
    assert c * dt / dx < 1.0, f"CFL violated: {c * dt / dx:.2f}"
    out = []
    for n in range(n_steps):
        U = step(U, bed, dx, dt)
        if n % 5 == 4:
            out.append(U[0, gauges] + bed[gauges])
    return np.sum((np.array(out) - readings) ** 2)


nx = 30
x = np.linspace(0, 3, nx)
h0 = 1.0 + 0.1 * np.exp(-((x - 1.0) / 0.2) ** 2)
true_bed = 0.2 * np.exp(-((x - 2.0) / 0.4) ** 2)
gauges = np.array([5, 15, 25])
rng = np.random.default_rng(30)


def _readings(bed):
    U = np.stack([h0 - bed, np.zeros_like(h0)])
    out = []
    for n in range(40):
        U = step(U, bed, 0.1, 0.01)
        if n % 5 == 4:
            out.append(U[0, gauges] + bed[gauges])
    return np.array(out)


readings = _readings(true_bed) + 1e-3 * rng.standard_normal((8, 3))
f = gauge_misfit
ARGS = (0.1 * np.exp(-((x - 1.8) / 0.5) ** 2), h0, gauges, readings)
