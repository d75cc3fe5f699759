"""Adaptive optics: a circular pupil's wavefront is a sum of Zernike modes (radial polynomials from
the factorial formula with math.factorial, azimuthal cos/sin terms, Noll-like list of (n, m));
the PSF is |FFT(pupil * exp(i phase))|^2 on a zero-padded grid with fftshift; the Strehl ratio
is the PSF peak over the diffraction-limited peak.  The loss is phase-diversity-like: the
mismatch between the in-focus and a defocused model PSF and "measured" PSFs, differentiated
w.r.t. the Zernike coefficients."""
import math

import numpy as np

N_PUPIL = 32
PAD = 2
MODES = [(2, 0), (2, 2), (2, -2), (3, 1), (3, -1), (4, 0)]


def radial(n, m, rho):
    m = abs(m)
    out = np.zeros_like(rho)
    for k in range((n - m) // 2 + 1):
        c = (-1) ** k * math.factorial(n - k) / (
            math.factorial(k) * math.factorial((n + m) // 2 - k) * math.factorial((n - m) // 2 - k))
        out = out + c * rho ** (n - 2 * k)
    return out


def zernike(n, m, rho, theta):
    norm = math.sqrt(2 * (n + 1)) if m != 0 else math.sqrt(n + 1)
    if m > 0:
        return norm * radial(n, m, rho) * np.cos(m * theta)
    if m < 0:
        return norm * radial(n, m, rho) * np.sin(-m * theta)
    return norm * radial(n, 0, rho)


y, x = np.mgrid[-1:1:N_PUPIL * 1j, -1:1:N_PUPIL * 1j]
RHO, THETA = np.hypot(x, y), np.arctan2(y, x)
APERTURE = (RHO <= 1.0).astype(float)
BASIS = np.stack([zernike(n, m, RHO, THETA) * APERTURE for n, m in MODES])


def psf(coeffs, extra_defocus=0.0):
    phase = np.tensordot(coeffs, BASIS, axes=1) + extra_defocus * BASIS[0]
    field = APERTURE * np.exp(1j * phase)
    big = np.zeros((PAD * N_PUPIL, PAD * N_PUPIL), dtype=complex)
    big[:N_PUPIL, :N_PUPIL] = field
    img = np.abs(np.fft.fftshift(np.fft.fft2(big))) ** 2
    return img / APERTURE.sum() ** 2


def loss(coeffs, measured_focus, measured_defocus, diversity=1.0):
    p0 = psf(coeffs)
    p1 = psf(coeffs, diversity)
    strehl = p0.max()
    return (np.sum((p0 - measured_focus) ** 2) + np.sum((p1 - measured_defocus) ** 2)) * 1e3 - 0.01 * strehl


true = np.array([0.2, -0.1, 0.15, 0.05, -0.08, 0.03])
f = loss
ARGS = (np.array([0.1, 0.0, 0.1, 0.0, 0.0, 0.0]), psf(true), psf(true, 1.0))
