"""Variational quantum eigensolver for a 3-qubit transverse-field Ising chain simulated as a
statevector: single-qubit RY/RZ rotations applied by reshaping the state into a (2,2,2) tensor and
np.tensordot with the gate on one axis (np.moveaxis back), CNOTs by writing the flipped target
axis through an index list of slice objects, the
Hamiltonian built with np.kron in a loop; energy <psi|H|psi> (complex, .real) differentiated w.r.t.
the circuit angles."""
import numpy as np

N_QUBITS = 3
I2 = np.eye(2)
X = np.array([[0.0, 1.0], [1.0, 0.0]])
Z = np.array([[1.0, 0.0], [0.0, -1.0]])


def kron_chain(ops):
    out = np.array([[1.0]])
    for op in ops:
        out = np.kron(out, op)
    return out


def ising_hamiltonian(J=1.0, h=0.7):
    H = np.zeros((2 ** N_QUBITS, 2 ** N_QUBITS))
    for i in range(N_QUBITS - 1):
        H -= J * kron_chain([Z if k in (i, i + 1) else I2 for k in range(N_QUBITS)])
    for i in range(N_QUBITS):
        H -= h * kron_chain([X if k == i else I2 for k in range(N_QUBITS)])
    return H


def apply_1q(state, gate, q):
    psi = state.reshape((2,) * N_QUBITS)
    psi = np.moveaxis(np.tensordot(gate, psi, axes=([1], [q])), 0, q)
    return psi.reshape(-1)


def apply_cnot(state, control, target):
    psi = state.reshape((2,) * N_QUBITS).copy()
    idx = [slice(None)] * N_QUBITS
    idx[control] = 1
    sub = psi[tuple(idx)]
    t_axis = target if target < control else target - 1
    psi[tuple(idx)] = np.flip(sub, axis=t_axis)
    return psi.reshape(-1)


def ry(theta):
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array([[c, -s], [s, c]], dtype=complex)


def rz(phi):
    return np.array([[np.exp(-0.5j * phi), 0.0], [0.0, np.exp(0.5j * phi)]])


def vqe_energy(angles, H):
    state = np.zeros(2 ** N_QUBITS, dtype=complex)
    state[0] = 1.0
    for layer in range(angles.shape[0]):
        for q in range(N_QUBITS):
            state = apply_1q(state, ry(angles[layer, q, 0]), q)
            state = apply_1q(state, rz(angles[layer, q, 1]), q)
        for q in range(N_QUBITS - 1):
            state = apply_cnot(state, q, q + 1)
    return np.vdot(state, H @ state).real


rng = np.random.default_rng(2011)
f = vqe_energy
ARGS = (rng.uniform(0, np.pi, (2, N_QUBITS, 2)), ising_hamiltonian())
