"""Design of a 3-link planar arm's link lengths: forward kinematics with cumulative joint angles
(np.cumsum), the 2x3 positional Jacobian built column by column, Yoshikawa manipulability
sqrt(det(J J^T)) averaged over a set of task configurations, and a few damped-least-squares IK steps
(dq = J^T (J J^T + lambda^2 I)^-1 e via np.linalg.solve) toward targets, whose residual enters the
loss; plus a total-length cost.  Differentiated w.r.t. the link lengths."""
import numpy as np


def fk(lengths, q):
    phi = np.cumsum(q)
    x = np.sum(lengths * np.cos(phi))
    y = np.sum(lengths * np.sin(phi))
    return np.array([x, y]), phi


def jacobian(lengths, q):
    _, phi = fk(lengths, q)
    J = np.zeros((2, len(q)))
    for j in range(len(q)):
        J[0, j] = -np.sum(lengths[j:] * np.sin(phi[j:]))
        J[1, j] = np.sum(lengths[j:] * np.cos(phi[j:]))
    return J


def dls_ik(lengths, q, target, steps=8, damping=0.05):
    for _ in range(steps):
        pos, _ = fk(lengths, q)
        J = jacobian(lengths, q)
        e = target - pos
        q = q + J.T @ np.linalg.solve(J @ J.T + damping ** 2 * np.eye(2), e)
    pos, _ = fk(lengths, q)
    return q, np.linalg.norm(target - pos)


def design_loss(lengths, configs, targets):
    manip = [np.sqrt(np.linalg.det(jacobian(lengths, q) @ jacobian(lengths, q).T)) for q in configs]
    residuals = [dls_ik(lengths, q, t)[1] for q, t in zip(configs, targets)]
    return -np.mean(manip) + 10 * np.sum(np.square(residuals)) + 0.2 * np.sum(lengths)


configs = [np.array([0.3, 0.6, -0.4]), np.array([1.0, -0.5, 0.8]), np.array([-0.2, 1.2, 0.3])]
targets = [np.array([1.2, 0.9]), np.array([0.4, 1.4]), np.array([1.5, -0.2])]
f = design_loss
ARGS = (np.array([0.8, 0.6, 0.4]), configs, targets)
