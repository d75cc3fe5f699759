"""Matrix-product-state Born machine on bitstrings: a list of cores (D, 2, D); amplitudes contracted
left to right with np.einsum('a,adb->b' on the picked bit), the norm by transfer matrices
np.einsum('adb,cde->acbe'), traces 'ii->' and 'acac->', '...'-ellipsis batching, optimize=True;
NLL plus a Frobenius penalty np.linalg.norm(ord='fro')."""
import numpy as np


def log_norm(cores):
    E = np.einsum("adb,cde->acbe", cores[0], cores[0])
    for G in cores[1:]:
        T = np.einsum("adb,cde->acbe", G, G)
        E = np.einsum("acbe,bejk->acjk", E, T, optimize=True)
    closed = np.einsum("acac->", E)           # periodic boundary: trace over both copies
    return np.log(closed)


def nll(cores, bits):
    D = cores[0].shape[0]
    total = 0.0
    for s in bits:
        v = np.eye(D)
        for G, b in zip(cores, s):
            v = np.einsum("...a,ab->...b", v, G[:, b, :])
        amp = np.einsum("ii->", v)
        total = total - np.log(amp ** 2)
    reg = sum(np.linalg.norm(G.reshape(D, -1), ord="fro") ** 2 for G in cores)
    return total / len(bits) + log_norm(cores) + 1e-3 * reg


rng = np.random.default_rng(124)
n_sites, D = 5, 3
cores = [np.eye(D)[:, None, :] * 0.8 + 0.3 * rng.standard_normal((D, 2, D)) for _ in range(n_sites)]
bits = rng.integers(0, 2, (12, n_sites))

f = nll
ARGS = (cores, bits)
