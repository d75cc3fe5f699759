import numpy as np

def chain_energy(x, k_bond, k_angle):
    """Energy of a ring of beads: bonds between i and i+1, bending at each bead."""
    n = x.shape[0]
    forces_unused = np.zeros_like(x)
    bond = np.zeros(n)
    for i in range(n):
        j = (i + 1) % n
        d = x[j] - x[i]
        bond[i] += k_bond * (np.sqrt(d @ d) - 1.0) ** 2
    E = 0.0
    E += bond.sum()
    for i in range(n):
        a = x[i - 1] - x[i]
        b = x[(i + 1) % n] - x[i]
        cos_t = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
        E += k_angle * (1 + cos_t)
    return E

rng = np.random.default_rng(35)
n = 7
ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
x = np.stack([np.cos(ang), np.sin(ang)], axis=1) * 1.1 + 0.05 * rng.standard_normal((n, 2))
f = chain_energy
ARGS = (x, 2.0, 0.5)
