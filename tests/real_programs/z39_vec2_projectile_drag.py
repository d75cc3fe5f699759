"""A physics student's projectile with quadratic air drag: a small Vec2 class with operator
overloading (__add__, __sub__, __mul__/__rmul__ by a scalar, abs() via __abs__), velocity-Verlet-like
steps until the projectile comes down (while loop on the height), then the miss distance to the
target and the flight time.  Differentiated w.r.t. launch speed and angle."""
import math

import numpy as np

G = 9.81


class Vec2:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec2(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec2(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec2(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __abs__(self):
        return math.sqrt(self.x ** 2 + self.y ** 2)


def accel(v, k):
    speed = abs(v)
    return Vec2(-k * speed * v.x, -G - k * speed * v.y)


def miss(speed, angle, target=(60.0, 0.0), k=0.002, dt=0.01):
    pos = Vec2(0.0, 1.5)
    vel = Vec2(speed * math.cos(angle), speed * math.sin(angle))
    t = 0.0
    while pos.y > 0.0 or t == 0.0:
        a = accel(vel, k)
        vel_half = vel + 0.5 * dt * a
        pos = pos + dt * vel_half
        vel = vel_half + 0.5 * dt * accel(vel_half, k)
        t += dt
    err = pos - Vec2(*target)
    return err.x ** 2 + 0.1 * t ** 2


f = miss
ARGS = (28.0, 0.7)
KW = {"wrt": ("speed", "angle")}
KINKED = "the landing step count is piecewise constant in the inputs"
