"""Lattice Boltzmann (D2Q9, BGK collision) flow in a periodic channel driven by a body force,
solving an inverse problem: the lattice constants are class attributes of a `D2Q9` class with a
@staticmethod equilibrium, streaming uses np.roll per direction in
`for i, (cx, cy) in enumerate(zip(...))`, the no-slip walls use bounce-back by swapping opposite
populations on the wall rows (an OPPOSITE index tuple and fancy indexing), and the Guo forcing term
is added after collision; after a fixed number of steps the x-velocity profile is compared with a
measured one, differentiated w.r.t. the relaxation time tau and the force amplitude (a dict)."""
import numpy as np


class D2Q9:
    CX = np.array([0, 1, 0, -1, 0, 1, -1, -1, 1])
    CY = np.array([0, 0, 1, 0, -1, 1, 1, -1, -1])
    W = np.array([4 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 36, 1 / 36, 1 / 36, 1 / 36])
    OPPOSITE = (0, 3, 4, 1, 2, 7, 8, 5, 6)

    @staticmethod
    def equilibrium(rho, ux, uy):
        cu = 3 * (D2Q9.CX[:, None, None] * ux + D2Q9.CY[:, None, None] * uy)
        usq = 1.5 * (ux ** 2 + uy ** 2)
        return D2Q9.W[:, None, None] * rho * (1 + cu + 0.5 * cu ** 2 - usq)


def macroscopic(fpop, force_x):
    rho = fpop.sum(axis=0)
    ux = (np.tensordot(D2Q9.CX, fpop, axes=1) + 0.5 * force_x) / rho
    uy = np.tensordot(D2Q9.CY, fpop, axes=1) / rho
    return rho, ux, uy


def simulate(params, ny=12, nx=4, steps=60):
    tau, force_x = params["tau"], params["force"]
    fpop = D2Q9.equilibrium(np.ones((ny, nx)), np.zeros((ny, nx)), np.zeros((ny, nx)))
    for _ in range(steps):
        rho, ux, uy = macroscopic(fpop, force_x)
        feq = D2Q9.equilibrium(rho, ux, uy)
        cu = D2Q9.CX[:, None, None] * ux + D2Q9.CY[:, None, None] * uy
        guo = (1 - 0.5 / tau) * D2Q9.W[:, None, None] * 3 * force_x * (
            (D2Q9.CX[:, None, None] - ux) + 3 * cu * D2Q9.CX[:, None, None])
        post = fpop - (fpop - feq) / tau + guo
        streamed = np.stack([np.roll(np.roll(post[i], cy, axis=0), cx, axis=1)
                             for i, (cx, cy) in enumerate(zip(D2Q9.CX, D2Q9.CY))])
        walls = post[list(D2Q9.OPPOSITE)]
        streamed[:, 0, :] = walls[:, 0, :]
        streamed[:, -1, :] = walls[:, -1, :]
        fpop = streamed
    return macroscopic(fpop, force_x)[1].mean(axis=1)


def profile_loss(params, measured):
    return np.sum((simulate(params) - measured) ** 2) * 1e4


measured = simulate({"tau": 0.8, "force": 2e-5})
f = profile_loss
ARGS = ({"tau": 0.9, "force": 1.5e-5}, measured)
