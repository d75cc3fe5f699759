"""Axes and indices known only when the function runs, and complex states read by np.vdot: the
statevector simulation of real program w11 (`psi = np.moveaxis(np.tensordot(gate, psi, axes=([1],
[q])), 0, q)` in a loop over qubits q, a CNOT through `psi[tuple(idx)]` with `idx[control] = 1`, the
energy `np.vdot(state, H @ state).real`).

- np.moveaxis / np.swapaxes / np.tensordot take axes computed at run time: their adjoints read the
  same expressions where the reverse sweep runs (rules/shape._axis_of, rules/contract._tensordot);
- a name holding a slice (`idx = [slice(None)] * 3`) is a slice to shape inference (a `Known`), so
  `y[tuple(idx)] = v` is a basic-index write and a view `sub = psi[tuple(idx)]` read only by that
  write is copied where it is bound (passes/views.py), not refused;
- shape inference keeps the dtype of a contraction or a moved axis when the shape is lost, so a
  complex state stays known as complex (the complex rows need it);
- np.vdot of complex values conjugates its first argument: a's cotangent is conj(g b), b's
  g conj(a) (rules/fft._vdot_complex).

Gradients against central differences in random directions, forward mode by the dot-product test
(s2sgrad.testing.check_grads)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(41)


def moved_in_loop(x, W):
    psi = x.reshape(2, 3, 4)
    total = 0.0
    for q in range(3):
        m = np.moveaxis(psi, q, 0)
        total = total + np.sum(np.tanh(m[0]) * (q + 1.0))
        s = np.swapaxes(psi, 0, q)
        total = total + np.sum(s[..., 0] ** 2)
    return total + np.sum(np.tensordot(W, psi, axes=([1], [0])) ** 2)


def contracted_in_loop(x, G):
    psi = x.reshape(2, 2, 2)
    for q in range(3):
        psi = np.moveaxis(np.tensordot(G[q], psi, axes=([1], [q])), 0, q)
    return np.sum(np.sin(psi) * np.arange(8.0).reshape(2, 2, 2))


def sliced_by_list(x):
    psi = x.reshape((2, 2, 2)).copy()
    for control in range(2):
        idx = [slice(None)] * 3
        idx[control] = 1
        sub = psi[tuple(idx)]
        psi[tuple(idx)] = np.flip(sub, axis=1) * 1.5
    return np.sum(psi.reshape(-1) ** 2 * np.arange(1.0, 9.0))


def constant_slice_write(x):
    psi = x.reshape((2, 2, 2)).copy()
    idx = [slice(None)] * 3
    idx[1] = 1
    sub = psi[tuple(idx)]
    psi[tuple(idx)] = np.flip(sub, axis=1)
    return np.sum(psi.reshape(-1) * np.arange(8.0))


def energy(theta, H):
    state = np.zeros(4, dtype=complex)
    state[0] = 1.0
    for q in range(2):
        c, s = np.cos(theta[q] / 2), np.sin(theta[q] / 2)
        gate = np.array([[c, -s], [s, c]], dtype=complex)
        phase = np.array([[np.exp(-0.5j * theta[q + 2]), 0.0], [0.0, np.exp(0.5j * theta[q + 2])]])
        psi = state.reshape(2, 2)
        psi = np.moveaxis(np.tensordot(phase @ gate, psi, axes=([1], [q])), 0, q)
        state = psi.reshape(-1)
    return np.vdot(state, H @ state).real


def overlap(a, b):
    u = np.exp(1j * a) * (1.0 + b)
    v = np.cos(b) + 1j * np.sin(2 * a)
    z = np.vdot(u, v) + np.vdot(v.reshape(2, 3), u)
    return z.real + 2.0 * z.imag


@pytest.mark.parametrize("fn, args", [
    (moved_in_loop, (RNG.standard_normal(24), RNG.standard_normal((3, 2)))),
    (contracted_in_loop, (RNG.standard_normal(8), RNG.standard_normal((3, 2, 2)))),
    (sliced_by_list, (RNG.standard_normal(8),)),
])
def test_runtime_axes_and_slices(fn, args):
    check_grads(fn, args, wrt=(0, 1) if len(args) > 1 else 0)


def test_a_slice_held_in_a_list_indexes_exactly():
    x = np.arange(8.0) + 1
    value, g = differentiate(constant_slice_write).value_and_grad(x)
    assert value == constant_slice_write(x)
    np.testing.assert_array_equal(g, [0., 1., 3., 2., 4., 5., 7., 6.])  # psi[:, 1, ::-1]: 2 <-> 3, 6 <-> 7


def test_complex_state_energy():
    A = RNG.standard_normal((4, 4)) + 1j * RNG.standard_normal((4, 4))
    H = A + A.conj().T  # Hermitian: the energy is real
    check_grads(energy, (RNG.uniform(0, np.pi, 4), H), wrt=0)


def test_vdot_of_complex_values():
    check_grads(overlap, (RNG.standard_normal(6), RNG.standard_normal(6)), wrt=(0, 1))


CX, CY = (0, 1, -1), (1, 0, 2)


def streamed(x):  # the lattice-Boltzmann streaming step of real program x30
    parts = [np.roll(np.roll(x, cy, axis=0), cx, axis=1) * (cy + 1.0) for i, (cx, cy) in enumerate(zip(CX, CY))]
    pairs = [a * b for (a, b) in [(x[0, 0], x[1, 1]), (x[2, 0], x[0, 2])]]
    return np.sum(np.stack(parts) ** 2 * np.arange(9.0).reshape(3, 3)) + sum(pairs)


def rolled_in_loop(x, s):
    out = 0.0
    for k in range(3):
        out = out + np.sum(np.roll(x, k, axis=0) * np.arange(3.0)) + np.sum(np.roll(x, (k, s), axis=(0, 0)) ** 2)
    return out


def test_roll_by_shifts_known_at_run_time_and_nested_comprehension_targets():
    check_grads(streamed, (RNG.standard_normal((3, 3)),))
    check_grads(rolled_in_loop, (RNG.standard_normal(3), 1), wrt=0)
