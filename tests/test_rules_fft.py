"""np.fft and complex intermediates (rules/fft.py): known numbers, the real programs that asked for
them, forward against reverse, float32, n= padding and truncation, norms, axes, fft2, the
convention for complex cotangents, and the backends that refuse these rows.  (Every row is also
walked against finite differences by tests/test_rule_table_soundness.py and
tests/test_rule_table_forward.py, with tests/rule_specs_fft.py.)"""
import sys
import pathlib

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(17)
X8 = rng.standard_normal(8)
X7 = rng.standard_normal(7)
M = rng.standard_normal((5, 6))
W8 = rng.standard_normal(8)
WC = rng.standard_normal(8) + 1j * rng.standard_normal(8)   # a complex weight, passed as an argument


def parseval(x):
    return np.sum(np.abs(np.fft.fft(x)) ** 2)


def real_part_weighted(x, w):
    return np.sum(np.real(np.fft.fft(x)) * w)


def test_parseval_gradient_is_2_n_x():
    """sum |fft(x)|^2 = n sum x^2: the gradient is 2 n x."""
    g = differentiate(parseval).grad(X8)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, 2 * 8 * X8, rtol=1e-12, atol=1e-12)


def test_real_part_weighted_is_the_real_dft_matrix_transposed():
    """d/dx sum(Re(F x) w) = Re(F)^T w."""
    F = np.fft.fft(np.eye(8), axis=0)  # F[k, j] = exp(-2 pi i jk / 8)
    g = differentiate(real_part_weighted, wrt="x").grad(X8, W8)
    np.testing.assert_allclose(g, F.real.T @ W8, rtol=1e-12, atol=1e-12)


def test_the_weight_gets_its_gradient_too():
    """w is real: its gradient is Re(F x) (the complex contribution's real part, ad/accumulate.py)."""
    g = differentiate(real_part_weighted, wrt="w").grad(X8, W8)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, np.fft.fft(X8).real, rtol=1e-12)


def complex_weight(x, w):
    H = np.fft.rfft(x, n=14)
    return np.sum(np.imag(H * w[:8]) ** 2) + np.sum(np.angle(H + 3.0))


def rfft_pad(x):
    return np.sum(np.abs(np.fft.rfft(x, n=20)))


def rfft_truncate(x):
    return np.sum(np.abs(np.fft.rfft(x, n=5)) ** 3)


def ortho_axis0(m):
    return np.sum(np.abs(np.fft.fft(m, axis=0, norm="ortho")) ** 1.5)


def forward_norm(m):
    return np.sum(np.real(np.fft.rfft(m, axis=0, norm="forward")) ** 2)


def two_d(m):
    return np.sum(np.abs(np.fft.fft2(m, s=(6, 4))))


def round_trip(x):
    H = np.fft.rfft(x)
    return np.sum(np.fft.irfft(H * H, n=7) ** 2)


def inverse_of_complex(x):
    z = np.fft.ifft(np.fft.fftshift(np.fft.fft(x)))
    return np.sum(z.real ** 2 - np.conj(z).imag * np.sin(z.real))


def shifted(m):
    return np.sum(np.fft.ifftshift(np.abs(np.fft.rfftn(m)), axes=(0,)) * np.arange(4)) + np.sum(
        np.fft.rfftfreq(6, m[0, 0] ** 2 + 1.0))


CASES = [
    (complex_weight, (X7, WC)), (rfft_pad, (X7,)), (rfft_truncate, (X8,)), (ortho_axis0, (M,)),
    (forward_norm, (M,)), (two_d, (M,)), (round_trip, (X7,)), (inverse_of_complex, (X8,)), (shifted, (M,)),
    (parseval, (X7,)),
]


@pytest.mark.parametrize("f,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_against_finite_differences(f, args):
    d = differentiate(f, wrt=f.__code__.co_varnames[0])
    check_grads(d, args)
    value, g = d.value_and_grad(*args)
    assert np.isclose(value, f(*args), rtol=1e-13)
    assert np.isrealobj(g) and g.shape == np.shape(args[0])


@pytest.mark.parametrize("f,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_forward_mode_against_reverse_mode(f, args):
    name = f.__code__.co_varnames[0]
    v = rng.standard_normal(np.shape(args[0]))
    _, tangent = s2sgrad.jvp(f, args, (v,) + (None,) * (len(args) - 1))
    g = differentiate(f, wrt=name).grad(*args)
    assert np.isrealobj(tangent)
    np.testing.assert_allclose(tangent, np.sum(g * v), rtol=1e-10)


@pytest.mark.parametrize("f", [parseval, rfft_pad, ortho_axis0, two_d])
def test_float32_input_gets_a_float32_gradient(f):
    x = (X8 if f in (parseval, rfft_pad) else M).astype(np.float32)
    value, g = differentiate(f).value_and_grad(x)
    assert g.dtype == np.float32
    g64 = differentiate(f).grad(x.astype(np.float64))
    np.testing.assert_allclose(g, g64, rtol=2e-3, atol=2e-3 * np.max(np.abs(g64)))


def test_abs_at_zero_gives_zero():
    """|z| at z = 0: the subgradient 0 (as np.abs of a real 0), never nan."""
    def f(x):
        return np.sum(np.abs(np.fft.fft(x)))
    x = np.array([1.0, -1.0, 1.0, -1.0])  # spectrum [0, 0, 4, 0]
    g = differentiate(f).grad(x)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, np.real(np.fft.fft([0, 0, 1.0, 0])), atol=1e-15)


def test_generated_code_reads_as_math():
    src = differentiate(parseval).compiled_for(X8).value_and_grad_source
    assert "fft_adjoint(" in src and "np.conj(" in src and "np.sign(" not in src


def _real_program(name):
    sys.path.insert(0, str(pathlib.Path(__file__).parent / "real_programs"))
    try:
        from harness import check
    finally:
        sys.path.pop(0)
    return check(name)


def test_r11_fir_filter_design():
    assert _real_program("r11_fir_filter_design") == "ok"


def test_r12_spectrogram_synth():
    """(needs np.hanning of a constant, which another row provides: skipped where it is refused)"""
    try:
        result = _real_program("r12_spectrogram_synth")
    except S2SGradError as e:
        if "np.hanning" in str(e):
            pytest.skip(str(e).splitlines()[0])
        raise
    assert result == "ok"


def test_options_that_are_refused():
    def with_out(x):
        y = np.empty(8, complex)
        return np.sum(np.abs(np.fft.fft(x, out=y)))
    with pytest.raises(S2SGradError, match="out="):
        differentiate(with_out).grad(X8)


def test_numba_backend_refuses_cleanly():
    pytest.importorskip("numba")
    with pytest.raises(S2SGradError, match="fft"):
        differentiate(parseval, backend="numba").grad(X8)
