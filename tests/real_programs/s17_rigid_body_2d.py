"""Planar rigid body (a box thrown under gravity with thrusters): a frozen dataclass holds the
state, @property gives the rotation matrix and body-frame thruster positions in the world,
dataclasses.replace makes each new state, semi-implicit Euler integration; the loss is the squared
distance of the final pose to a target plus control effort, w.r.t. the thrust schedule."""
import dataclasses
from dataclasses import dataclass

import numpy as np

MASS, INERTIA, DT = 2.0, 0.15, 0.02
THRUSTERS = np.array([[-0.3, -0.1], [0.3, -0.1]])   # body frame
DIRECTION = np.array([0.0, 1.0])                     # body frame


@dataclass(frozen=True)
class Body:
    pos: np.ndarray
    vel: np.ndarray
    angle: float
    omega: float

    @property
    def R(self):
        c, s = np.cos(self.angle), np.sin(self.angle)
        return np.array([[c, -s], [s, c]])

    def world_points(self, pts):
        return pts @ self.R.T + self.pos


def step(body, thrust):
    R = body.R
    force_dir = R @ DIRECTION
    force = np.sum(thrust) * force_dir + MASS * np.array([0.0, -9.81])
    lever = THRUSTERS @ R.T
    torque = np.sum(lever[:, 0] * force_dir[1] * thrust - lever[:, 1] * force_dir[0] * thrust)
    vel = body.vel + DT * force / MASS
    omega = body.omega + DT * torque / INERTIA
    return dataclasses.replace(body, pos=body.pos + DT * vel, vel=vel,
                               angle=body.angle + DT * omega, omega=omega)


def mission_loss(thrusts, target=np.array([1.0, 2.0]), effort=1e-4):
    body = Body(pos=np.zeros(2), vel=np.array([1.0, 3.0]), angle=0.0, omega=0.0)
    for u in thrusts:
        body = step(body, u)
    corners = body.world_points(THRUSTERS)
    level = (corners[1, 1] - corners[0, 1]) ** 2
    return np.sum((body.pos - target) ** 2) + level + 0.1 * body.omega ** 2 + effort * np.sum(thrusts ** 2)


rng = np.random.default_rng(17)
f = mission_loss
ARGS = (9.81 + 0.5 * rng.standard_normal((30, 2)),)
