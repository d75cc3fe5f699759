"""Two-stream (Eddington-like) radiative transfer through a stack of atmospheric layers, each with
an optical depth, single-scattering albedo and asymmetry factor kept in a list of dicts.  The
up/down diffuse fluxes at the layer interfaces solve a tridiagonal system, written with the Thomas
algorithm (forward sweep and back substitution with in-place element writes).  The loss is the
mismatch of the top-of-atmosphere albedo and the surface absorbed flux to observations; it is
differentiated w.r.t. the layers' optical depths and single-scattering albedos (arrays)."""
import numpy as np

MU0 = 0.6            # cosine of solar zenith angle
F0 = 1361.0          # W m^-2
SURFACE_ALBEDO = 0.15


def thomas(a, b, c, d):
    """Solve the tridiagonal system with sub-diagonal a, diagonal b, super-diagonal c."""
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m if i < n - 1 else 0.0
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def layer_coeffs(tau, omega, g):
    # hemispheric-mean two-stream: gamma1, gamma2 and the layer's reflection/transmission
    g1 = 2.0 - omega * (1.0 + g)
    g2 = omega * (1.0 - g)
    k = np.sqrt(g1 ** 2 - g2 ** 2)
    e = np.exp(-k * tau)
    denom = (k + g1) - (g1 - k) * e ** 2
    R = g2 * (1.0 - e ** 2) / denom
    T = 2.0 * k * e / denom
    return R, T


def fluxes(taus, omegas, asym):
    n = len(taus)
    direct = [F0 * MU0]
    for tau in taus:
        direct.append(direct[-1] * np.exp(-tau / MU0))
    R, T = layer_coeffs(taus, omegas, asym)
    # unknowns: up-flux at each of the n+1 interfaces; adding-doubling style linear relations
    a, b, c, d = np.zeros(n + 1), np.ones(n + 1), np.zeros(n + 1), np.zeros(n + 1)
    for i in range(n):
        src = omegas[i] * (1.0 - np.exp(-taus[i] / MU0)) * direct[i] * 0.5
        a[i + 1] = 0.0
        c[i] = -T[i]
        b[i] = 1.0 + R[i] * 0.0
        d[i] = R[i] * direct[i] * 0.2 + src * 0.5
    b[n] = 1.0
    d[n] = SURFACE_ALBEDO * direct[n]
    up = thomas(a, b, c, d)
    return up, np.array(direct)


def loss(taus, omegas, asym, obs_albedo, obs_surface):
    up, direct = fluxes(taus, omegas, asym)
    toa_albedo = up[0] / (F0 * MU0)
    surf_abs = (1.0 - SURFACE_ALBEDO) * direct[-1]
    return (toa_albedo - obs_albedo) ** 2 * 100.0 + ((surf_abs - obs_surface) / 100.0) ** 2


layers = [dict(tau=0.05, omega=0.99, g=0.7), dict(tau=0.3, omega=0.9, g=0.75),
          dict(tau=1.2, omega=0.999, g=0.85), dict(tau=0.1, omega=0.8, g=0.6)]
taus = np.array([l["tau"] for l in layers])
omegas = np.array([l["omega"] for l in layers])
asym = np.array([l["g"] for l in layers])
f = loss
KW = dict(wrt=("taus", "omegas"))
ARGS = (taus, omegas, asym, 0.3, 400.0)
