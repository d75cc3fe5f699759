"""How to call the rows of s2sgrad/rules/fft.py (np.fft's transforms, shifts and frequencies; the
complex cases of np.abs, np.real, np.imag, np.conj, np.angle, x.real, x.imag).  Same format as
rule_table_specs.py; rule_specs_survey.py merges these in.

The walks differentiate `sum(sin(1.3 * form + 0.2))` along a real input, so every form reduces its
complex values to a real array: |z + 0.3j| (away from |z| = 0), Re(z w) or Im(z w) for a complex
constant w (both parts of the cotangent count), angle(z) away from the branch cut.  Options go by
position (the forms are templates, which take no keywords; args.py names them).  Covered: n=
padding and truncation, even and odd lengths, axis=0 of 2-D input, s=/axes=, the three norms, a
complex input (fft of fft), and irfft's real and imaginary parts of its half spectrum (two inputs).
"""
import numpy as np

from rule_table_specs_base import F, S

rng = np.random.default_rng(41)
V8 = rng.uniform(-0.9, 0.9, 8)
V7 = rng.uniform(-0.9, 0.9, 7)
M46 = rng.uniform(-0.9, 0.9, (4, 6))
T = rng.uniform(-0.9, 0.9, (2, 4, 6))
Y5, Y5B = rng.uniform(-0.9, 0.9, 5), rng.uniform(-0.9, 0.9, 5)    # half spectra: real and imaginary parts
Y45, Y45B = rng.uniform(-0.9, 0.9, (4, 5)), rng.uniform(-0.9, 0.9, (4, 5))
X = rng.uniform(-0.9, 0.9, (3, 4))


def _call(op, n_opts, first=1):
    return f"np.fft.{op}({{0}}" + "".join(f", {{{k}}}" for k in range(first, first + n_opts)) + ")"


def _abs(op, n_opts):
    """|op(x, options...) + 0.3j| (the constant last: the frontend takes no complex literal)"""
    return f"np.abs({_call(op, n_opts)} + {{{n_opts + 1}}})"


def _part(part, op, n_opts):
    """Re or Im of op(x, options...) times a complex constant (the last argument)"""
    return f"np.{part}({_call(op, n_opts)} * {{{n_opts + 1}}})"


def _inverse_real(op, n_opts):
    """irfft of the half spectrum {0} + i {1} (i the last argument): both parts carry a derivative."""
    opts = "".join(f", {{{k}}}" for k in range(2, n_opts + 2))
    return f"np.fft.{op}(np.asarray({{0}}) + {{{n_opts + 2}}} * np.asarray({{1}}){opts})"


I = S(np.array(1j))            # complex constants, passed as arguments
J3 = S(np.array(0.3j))
W = S(np.array(0.6 - 0.8j))
W2 = S(np.array(0.2 + 0.9j))
C = S(np.array(0.6 + 0.8j))
OFF = S(np.array(0.5 + 1.5j))


ROWS = {
    "np.fft.fft": (_abs("fft", 3), [F(M46), S(8), S(0), S("ortho"), J3]),
    "np.fft.ifft": (_abs("ifft", 3), [F(M46), S(5), S(-1), S("forward"), J3]),
    "np.fft.rfft": (_abs("rfft", 3), [F(M46), S(7), S(0), S("ortho"), J3]),
    "np.fft.irfft": (_inverse_real("irfft", 3), [F(Y5), F(Y5B), S(9), S(-1), S("ortho"), I]),
    "np.fft.fft2": (_abs("fft2", 3), [F(T), S((5, 4)), S((0, 2)), S("ortho"), J3]),
    "np.fft.ifft2": (_abs("ifft2", 3), [F(T), S(None), S((1, 2)), S("backward"), J3]),
    "np.fft.rfft2": (_abs("rfft2", 3), [F(T), S((3, 5)), S((2, 1)), S("forward"), J3]),
    "np.fft.irfft2": (_inverse_real("irfft2", 3), [F(Y45), F(Y45B), S((4, 8)), S((0, 1)), S("ortho"), I]),
    "np.fft.fftn": (_abs("fftn", 3), [F(T), S((3, 4, 5)), S((0, 1, 2)), S("ortho"), J3]),
    "np.fft.ifftn": (_abs("ifftn", 3), [F(T), S(None), S((0, 2)), S(None), J3]),
    "np.fft.rfftn": (_abs("rfftn", 3), [F(T), S((2, 5, 6)), S((0, 1, 2)), S(None), J3]),
    "np.fft.irfftn": (_inverse_real("irfftn", 3), [F(Y45), F(Y45B), S((3, 7)), S((0, 1)), S("forward"), I]),
    "np.fft.fftshift": ("np.fft.fftshift({0}, {1})", [F(M46), S((0,))]),
    "np.fft.ifftshift": ("np.fft.ifftshift({0}, {1})", [F(T), S((0, 2))]),
    "np.fft.fftfreq": ("np.fft.fftfreq", [S(8, kw="n"), F(0.7, kw="d")]),
    "np.fft.rfftfreq": ("np.fft.rfftfreq", [S(7, kw="n"), F(1.3, kw="d")]),
    "@real": ("(np.fft.fft({0}) * {1}).real", [F(V8), W]),
    "@imag": ("(np.fft.fft({0}) * {1}).imag", [F(V8), W]),
}

MORE = {
    "np.fft.fft": [(_abs("fft", 0), [F(V8), J3]), (_part("real", "fft", 1), [F(V8), S(5), W]),
                   (_part("imag", "fft", 3), [F(M46), S(None), S(-1), S("forward"), W2]),
                   ("np.real(np.fft.fft(np.fft.fft({0})) * {1})", [F(V7), W])],
    "np.fft.ifft": [(_abs("ifft", 0), [F(V7), J3]), (_part("imag", "ifft", 2), [F(M46), S(9), S(0), W])],
    "np.fft.rfft": [(_abs("rfft", 0), [F(V8), J3]), (_abs("rfft", 0), [F(V7), J3]), (_part("real", "rfft", 1), [F(V8), S(12), W]),
                    (_part("imag", "rfft", 1), [F(V7), S(5), W]),
                    (_part("real", "rfft", 3), [F(M46), S(None), S(-1), S("forward"), W2])],
    "np.fft.irfft": [(_inverse_real("irfft", 0), [F(Y5), F(Y5B), I]), (_inverse_real("irfft", 1), [F(Y5), F(Y5B), S(6), I]),
                     (_inverse_real("irfft", 1), [F(Y5), F(Y5B), S(12), I]),
                     (_inverse_real("irfft", 3), [F(Y45), F(Y45B), S(7), S(0), S("forward"), I]),
                     ("np.fft.irfft({0})", [F(Y5)])],
    "np.fft.fft2": [(_abs("fft2", 0), [F(M46), J3])],
    "np.fft.rfft2": [(_part("imag", "rfft2", 0), [F(M46), W])],
    "np.fft.irfft2": [(_inverse_real("irfft2", 0), [F(Y45), F(Y45B), I])],
    "np.fft.fftn": [(_part("real", "fftn", 0), [F(T), W2])],
    "np.fft.rfftn": [(_abs("rfftn", 2), [F(T), S((3, 3)), S((1, 2)), J3])],
    "np.fft.irfftn": [(_inverse_real("irfftn", 0), [F(Y45), F(Y45B), I])],
    "np.fft.fftshift": [("np.fft.fftshift({0})", [F(V7)]), ("np.fft.fftshift({0}, {1})", [F(M46), S(1)])],
    "np.fft.ifftshift": [("np.fft.ifftshift({0})", [F(V7)])],
    "np.fft.fftfreq": [("np.fft.fftfreq(7, {0})", [F(0.4)])],
    # the complex cases of the elementwise rows (their real cases: rule_specs_numpy.py)
    "np.abs": [("np.abs(np.asarray({0}) * {1} + {2})", [F(X), C, J3]), ("np.abs(np.fft.fft({0}))", [F(V8)])],
    "abs": [("abs(np.fft.fft({0}))", [F(V8)])],
    "np.real": [("np.real(np.fft.fft({0}) * {1})", [F(V8), W])],
    "np.imag": [("np.imag(np.fft.fft({0}) * {1})", [F(V8), W])],
    "np.conj": [("np.real(np.conj(np.fft.fft({0})) * {1})", [F(V8), W])],
    "np.conjugate": [("np.imag(np.conjugate(np.fft.fft({0})) * {1})", [F(V8), W2])],
    ".conj": [("np.real(np.fft.fft({0}).conj() * {1})", [F(V8), W2])],
    ".conjugate": [("np.imag(np.fft.fft({0}).conjugate() * {1})", [F(V8), W2])],
    "np.angle": [("np.angle(np.asarray({0}) * {1} + {2})", [F(X), C, OFF]),
                 ("np.angle(np.asarray({0}) * {1} + {2}, True)", [F(X), C, OFF])],
}
