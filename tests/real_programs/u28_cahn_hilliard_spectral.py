"""Cahn-Hilliard phase separation with a semi-implicit Fourier spectral step (np.fft.fft2/ifft2,
wavenumbers from np.fft.fftfreq), then the radially binned structure factor (np.bincount with
weights) compared with a measured one; wrt the mobility, gradient-energy coefficient and the
initial composition field."""
import numpy as np

N = 24


def wavenumbers(n=N, L=2 * np.pi * 4):
    k = 2 * np.pi * np.fft.fftfreq(n, d=L / n)
    kx, ky = np.meshgrid(k, k, indexing="ij")
    return kx ** 2 + ky ** 2


K2 = wavenumbers()
KBIN = np.rint(np.sqrt(K2) / np.sqrt(K2).max() * 8).astype(int)


def ch_step(c, dt, M, kappa):
    c_hat = np.fft.fft2(c)
    mu_hat = np.fft.fft2(c ** 3 - c)
    c_hat = (c_hat - dt * M * K2 * mu_hat) / (1.0 + dt * M * kappa * K2 ** 2)
    return np.real(np.fft.ifft2(c_hat))


def structure_factor_loss(params, target, steps=20, dt=0.5):
    c = params["c0"]
    for _ in range(steps):
        c = ch_step(c, dt, params["M"], params["kappa"])
    S = np.abs(np.fft.fft2(c)) ** 2 / c.size
    counts = np.bincount(KBIN.ravel())
    radial = np.bincount(KBIN.ravel(), weights=S.ravel()) / counts
    return np.sum((np.log(radial[1:] + 1e-8) - np.log(target[1:] + 1e-8)) ** 2)


rng = np.random.default_rng(628)
c_init = 0.1 * rng.standard_normal((N, N))
params = {"M": 1.0, "kappa": 0.5, "c0": c_init}
true = {"M": 1.3, "kappa": 0.4, "c0": c_init}
c = c_init
for _ in range(20):
    c = ch_step(c, 0.5, true["M"], true["kappa"])
S = np.abs(np.fft.fft2(c)) ** 2 / c.size
target = np.bincount(KBIN.ravel(), weights=S.ravel()) / np.bincount(KBIN.ravel())

f = structure_factor_loss
ARGS = (params, target)
