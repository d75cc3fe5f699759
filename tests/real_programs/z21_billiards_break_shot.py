"""Pool shot planning on a 2 x 1 table: the cue ball's initial velocity comes from a speed and an
angle (np.array of cos/sin of a differentiated scalar); balls interact through a stiff soft-contact
repulsion (pairwise overlaps, np.maximum), rolling friction scales velocities, cushions reflect with
in-place masked updates (vel[hit, 0] *= -1; pos[hit, 0] = 2 R - pos[hit, 0]); semi-implicit Euler.
Loss: the object ball's final distance to the corner pocket, plus keeping the cue ball away from it
(scratch).  Differentiated w.r.t. (speed, angle)."""
import numpy as np

RADIUS = 0.03
TABLE = np.array([2.0, 1.0])
POCKET = np.array([2.0, 1.0])


def contact_forces(pos, k=4000.0):
    diff = pos[:, None, :] - pos[None, :, :]
    dist = np.sqrt(np.sum(diff ** 2, axis=-1) + np.eye(len(pos)))
    overlap = np.maximum(2 * RADIUS - dist, 0.0)
    overlap = overlap * (1.0 - np.eye(len(pos)))
    return np.sum((k * overlap / dist)[:, :, None] * diff, axis=1)


def cushions(pos, vel):
    for axis in range(2):
        lo = pos[:, axis] < RADIUS
        vel[lo, axis] *= -1.0
        pos[lo, axis] = 2 * RADIUS - pos[lo, axis]
        hi = pos[:, axis] > TABLE[axis] - RADIUS
        vel[hi, axis] *= -1.0
        pos[hi, axis] = 2 * (TABLE[axis] - RADIUS) - pos[hi, axis]
    return pos, vel


def shot_loss(speed, angle, balls, dt=0.002, steps=700, mu=0.6):
    pos = balls.copy()
    vel = np.zeros_like(pos)
    vel[0] = speed * np.array([np.cos(angle), np.sin(angle)])
    for _ in range(steps):
        vel = vel + dt * contact_forces(pos)
        vel = vel * (1.0 - mu * dt)
        pos = pos + dt * vel
        pos, vel = cushions(pos, vel)
    target = np.sum((pos[1] - POCKET) ** 2)
    scratch = np.exp(-np.sum((pos[0] - POCKET) ** 2) / 0.01)
    return target + scratch


balls = np.array([[0.5, 0.5], [1.2, 0.62], [1.5, 0.3]])
f = shot_loss
ARGS = (2.2, 0.17, balls)
KW = {"wrt": ("speed", "angle")}
