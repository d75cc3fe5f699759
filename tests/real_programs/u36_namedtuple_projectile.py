"""Projectile with quadratic drag: state is a NamedTuple updated with ._replace each Euler step, a
`while True` loop that returns from inside when the ball crosses the ground (linear interpolation
of the landing point), launch angle/speed/drag in a dict, math.cos/math.sin on scalars."""
import math
from typing import NamedTuple

import numpy as np


class State(NamedTuple):
    pos: np.ndarray
    vel: np.ndarray
    t: float


def step(s, dt, drag, g=9.81):
    speed = np.linalg.norm(s.vel)
    acc = np.array([0.0, -g]) - drag * speed * s.vel
    vel = s.vel + dt * acc
    return s._replace(pos=s.pos + dt * vel, vel=vel, t=s.t + dt)


def landing(params, dt=0.01):
    angle, speed, drag = params["angle"], params["speed"], params["drag"]
    s = State(pos=np.array([0.0, 1.0]), vel=speed * np.array([math.cos(angle), math.sin(angle)]), t=0.0)
    while True:
        nxt = step(s, dt, drag)
        if nxt.pos[1] < 0.0:
            frac = s.pos[1] / (s.pos[1] - nxt.pos[1])
            return s.pos[0] + frac * (nxt.pos[0] - s.pos[0]), s.t + frac * dt
        s = nxt


def targeting_loss(params, target_x, target_t):
    x, t = landing(params)
    return (x - target_x) ** 2 + 0.1 * (t - target_t) ** 2


params = {"angle": 0.7, "speed": 14.0, "drag": 0.02}
f = targeting_loss
ARGS = (params, 12.0, 1.9)
