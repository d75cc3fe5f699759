"""A hanging rope by position-based dynamics (Jakobsen's Verlet + constraint relaxation, as in game
physics): positions updated in place with `pos[:-1] += corr`, the pinned end re-written each
iteration, a relaxation `while` loop that breaks when the worst stretch is under tolerance.  The
per-segment rest lengths are fitted so that the rope's tip lands on a target."""
import numpy as np


def relax(pos, rest, anchor, max_iters=20, tol=1e-4):
    it = 0
    while it < max_iters:
        d = pos[1:] - pos[:-1]
        dist = np.linalg.norm(d, axis=1, keepdims=True)
        stretch = dist - rest[:, None]
        corr = 0.5 * stretch / dist * d
        pos[:-1] += corr
        pos[1:] -= corr
        pos[0] = anchor
        it += 1
        if np.max(np.abs(stretch)) < tol:
            break
    return pos


def simulate_rope(rest, pos0, anchor, gravity=np.array([0.0, -9.81]), dt=0.02, n_steps=25, damping=0.98):
    pos = pos0.copy()
    prev = pos0.copy()
    for _ in range(n_steps):
        vel = (pos - prev) * damping
        prev = pos
        pos = pos + vel + gravity * dt ** 2
        pos[0] = anchor
        pos = relax(pos, rest, anchor)
    return pos


def tip_loss(rest, pos0, anchor, target):
    pos = simulate_rope(rest, pos0, anchor)
    return np.sum((pos[-1] - target) ** 2) + 0.01 * np.sum((rest - rest.mean()) ** 2)


n = 8
pos0 = np.stack([np.linspace(0.0, 1.4, n), np.zeros(n)], axis=1)
anchor = np.array([0.0, 0.0])
rest = np.full(n - 1, 0.2) + 0.01 * np.sin(np.arange(n - 1))
f = tip_loss
ARGS = (rest, pos0, anchor, np.array([0.9, -0.9]))
