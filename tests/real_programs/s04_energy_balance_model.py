"""Zonal energy-balance climate model (Budyko-Sellers type): temperature on latitude bands, smooth
ice-albedo feedback through tanh, meridional diffusion in sin(latitude), integrated with explicit
time steps until the mean tendency falls under a tolerance.  Loss: squared error of the
equilibrium profile against observations, differentiated w.r.t. the physical parameters dict."""
import numpy as np

CFG = {"n_lat": 18, "dt": 0.02, "tol": 1e-6, "max_iter": 4000, "S0": 1365.0}


def grid(n):
    edges = np.linspace(-1.0, 1.0, n + 1)  # x = sin(lat)
    centers = 0.5 * (edges[1:] + edges[:-1])
    return edges, centers


def insolation(x, S0):
    # second Legendre polynomial approximation
    return S0 / 4.0 * (1.0 - 0.482 * 0.5 * (3 * x ** 2 - 1))


def albedo(T, a_ice, a_free, T_ice=-10.0, width=4.0):
    s = 0.5 * (1 + np.tanh((T - T_ice) / width))
    return a_ice + (a_free - a_ice) * s


def tendency(T, theta, x_edges, x_c, Q):
    A, B, D = theta["A"], theta["B"], theta["D"]
    dx = x_c[1] - x_c[0]
    # flux at interior edges, zero at poles
    dTdx = np.diff(T) / dx
    w = 1 - x_edges[1:-1] ** 2
    flux = np.concatenate([[0.0], D * w * dTdx, [0.0]])
    transport = np.diff(flux) / dx
    absorbed = Q * (1 - albedo(T, theta["a_ice"], theta["a_free"]))
    olr = A + B * T
    return (absorbed - olr + transport) / theta["C"]


def equilibrium(theta, T0):
    x_edges, x_c = grid(CFG["n_lat"])
    Q = insolation(x_c, CFG["S0"])
    T = T0
    it = 0
    while it < CFG["max_iter"]:
        dT = tendency(T, theta, x_edges, x_c, Q)
        T = T + CFG["dt"] * dT
        it += 1
        if np.max(np.abs(dT)) < CFG["tol"]:
            break
    return T


def loss(theta, T0, T_obs):
    T = equilibrium(theta, T0)
    return np.mean((T - T_obs) ** 2)


_, xc = grid(CFG["n_lat"])
T_obs = 28 - 45 * xc ** 2 + 0.5 * np.cos(7 * xc)
theta = {"A": 205.0, "B": 2.05, "D": 0.6, "C": 4.0, "a_ice": 0.62, "a_free": 0.3}
T0 = 10.0 - 30.0 * xc ** 2

f = loss
KW = dict(wrt="theta")
ARGS = (theta, T0, T_obs)
