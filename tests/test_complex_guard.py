"""Rows given complex values (rules/complex_guard.py).  np.fft makes complex intermediates; a row
whose real formula is wrong for a complex argument (norms, var/std, max/min, linalg) must be
refused there, not computed: before this check, np.linalg.norm(np.fft.fft(x)) had gradient . v =
0.129 where finite differences give 0.739, np.var of a spectrum 0.244 for 1.761."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

X = np.array([0.3, -1.2, 0.8, 2.0])


def power(x):
    return np.sum(np.abs(np.fft.rfft(x)) ** 2)


def holomorphic(x):
    z = np.fft.fft(x)
    return np.sum(np.real(z * np.exp(0.1 * z) + np.sqrt(z + 3.0) / (z + 4.0)))


def phase_ramp(x):
    k = np.arange(len(x))
    z = np.fft.fft(x) * np.exp(-2j * np.pi * k / len(x))  # a complex literal
    return np.sum(np.real(np.fft.ifft(z)) * np.arange(1.0, 5.0))


def norm_of_spectrum(x):
    return np.linalg.norm(np.fft.fft(x))


def var_of_spectrum(x):
    return np.real(np.var(np.fft.fft(x)))


def vdot_of_spectra(x):  # vdot conjugates its first argument: its complex case (rules/fft.py)
    z = np.fft.fft(x)
    return np.real(np.vdot(z, z)) + np.imag(np.vdot(z * 1j, np.roll(z, 1)))


@pytest.mark.parametrize("fn", [power, holomorphic, phase_ramp, vdot_of_spectra])
def test_rows_that_take_complex_values(fn):
    check_grads(differentiate(fn), (X,))


@pytest.mark.parametrize("fn", [norm_of_spectrum, var_of_spectrum])
def test_rows_with_real_formulas_refuse_complex_values(fn):
    with pytest.raises(S2SGradError, match="a complex argument"):
        differentiate(fn).grad(X)
    with pytest.raises(S2SGradError, match="a complex argument"):
        jvp(fn, (X,), (np.ones(4),))


# Found by review: a real value made complex (x + 0j, x * (2 + 1j), x.astype(complex), written into
# a complex array, a complex exponent) had complex or wrong gradients -- 1.414j for 1.414, 0.650 +
# 6.04j for 5.437 -- because Python complex numbers had no abstract value (the complex rows then
# took the real formula) and a real variable's adjoint kept the imaginary part; forward mode dropped
# the tangent of a write into a complex array (0 for 1).
def promoted_scalar(x):
    return np.abs((x + 0j) * (1 + 1j)) + np.abs(np.exp(x * (2 + 1j))) + np.abs((x + 3.0) ** (1.0 + 1j))


def cast(x):
    return np.sum(np.abs(x.astype(np.complex128) * (1 + 1j))) + np.sum(np.abs(np.power(x + 3, 2 + 1j)))


def written_into_complex(x):
    z = np.zeros(2, dtype=complex)
    z[:] = x
    return np.sum(np.abs(z * (1 + 1j)) ** 2)


def test_real_values_made_complex():
    check_grads(differentiate(promoted_scalar), (0.5,))
    assert np.isclose(differentiate(promoted_scalar).grad(0.5), np.sqrt(2) + 2 * np.exp(1.0) + 1.0, rtol=1e-12)
    check_grads(differentiate(cast), (np.array([0.5, -1.0]),))
    check_grads(differentiate(written_into_complex), (np.array([0.5, -1.0]),))
    assert np.isclose(jvp(written_into_complex, (np.array([0.5, -1.0]),), (np.array([1.0, 0.0]),))[1], 2.0)


# A survey program (x27, an MVDR beamformer) solves a complex system: the solve's result had no
# dtype (its all-ones stand-in is singular) and np.abs after it was refused.  solve and inv are
# holomorphic (their rows transpose, never conjugate), so they take complex values.
RNG_C = np.random.default_rng(27)
R_C = RNG_C.standard_normal((3, 3)) + 1j * RNG_C.standard_normal((3, 3))
A_C = RNG_C.standard_normal(3) + 1j * RNG_C.standard_normal(3)


def beamformed(x, R, a):
    w = np.linalg.solve(R + np.diag(x), a)
    P = np.linalg.inv(R * (1.0 + x[0]) + np.eye(3))
    return np.abs(np.sum(w)) ** 2 + np.real(np.vdot(a, P @ a))


def test_a_complex_solve_and_inverse():
    check_grads(beamformed, (np.array([1.0, 2.0, 3.0]), R_C, A_C), wrt=0)
