"""Minimum-torque trajectory of a planar two-link arm: joint angles are a truncated Fourier series
plus a linear ramp between start and goal; velocities and accelerations follow analytically, the
torques by inverse dynamics tau = M(q) qdd + C(q, qd) qd + g(q)."""
import numpy as np
from collections import namedtuple

Arm = namedtuple("Arm", ["m1", "m2", "l1", "l2", "g"])
ARM = Arm(m1=1.0, m2=0.8, l1=0.5, l2=0.4, g=9.81)


def joint_trajectory(coeffs, q_start, q_goal, t, duration):
    s = t / duration
    K = coeffs.shape[1]
    k = np.arange(1, K + 1)[:, None]
    basis = np.sin(np.pi * k * s)                       # vanishes at both ends
    dbasis = np.pi * k / duration * np.cos(np.pi * k * s)
    ddbasis = -(np.pi * k / duration) ** 2 * basis
    q = q_start[:, None] + (q_goal - q_start)[:, None] * s + coeffs @ basis
    qd = (q_goal - q_start)[:, None] / duration + coeffs @ dbasis
    qdd = coeffs @ ddbasis
    return q, qd, qdd


def inverse_dynamics(q, qd, qdd, arm=ARM):
    c2, s2 = np.cos(q[1]), np.sin(q[1])
    m11 = (arm.m1 / 3 + arm.m2) * arm.l1 ** 2 + arm.m2 * arm.l2 ** 2 / 3 + arm.m2 * arm.l1 * arm.l2 * c2
    m12 = arm.m2 * arm.l2 ** 2 / 3 + 0.5 * arm.m2 * arm.l1 * arm.l2 * c2
    m22 = np.full_like(c2, arm.m2 * arm.l2 ** 2 / 3)
    M = np.array([[m11, m12], [m12, m22]])              # (2, 2, T)
    h = 0.5 * arm.m2 * arm.l1 * arm.l2 * s2
    coriolis = np.stack([-h * (2 * qd[0] * qd[1] + qd[1] ** 2), h * qd[0] ** 2])
    g1 = (arm.m1 / 2 + arm.m2) * arm.g * arm.l1 * np.cos(q[0]) + arm.m2 * arm.g * arm.l2 / 2 * np.cos(q[0] + q[1])
    g2 = arm.m2 * arm.g * arm.l2 / 2 * np.cos(q[0] + q[1])
    return np.einsum("ijt,jt->it", M, qdd) + coriolis + np.stack([g1, g2])


def effort(coeffs, q_start, q_goal, duration=2.0, n=60):
    t = np.linspace(0, duration, n)
    q, qd, qdd = joint_trajectory(coeffs, q_start, q_goal, t, duration)
    tau = inverse_dynamics(q, qd, qdd)
    return np.sum(tau ** 2) * (t[1] - t[0])


rng = np.random.default_rng(110)
f = effort
ARGS = (0.1 * rng.standard_normal((2, 4)), np.array([-0.5, 0.3]), np.array([1.0, 1.2]))
