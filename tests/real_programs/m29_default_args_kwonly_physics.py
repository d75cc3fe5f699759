"""A projectile-with-drag shooting problem written with default arguments and keyword-only
parameters: integrate(state, *, rhs, dt=0.02, n=60, method='midpoint'), a drag force function
with a default air density, a global gravity vector read as a default array, and an early return
when the projectile hits the ground (break out with the interpolated landing point)."""
import numpy as np

GRAVITY = np.array([0.0, -9.81])


def drag(v, *, cd=0.47, rho=1.225, area=0.01, mass=0.2):
    speed = np.sqrt(v @ v)
    return -0.5 * rho * cd * area * speed * v / mass


def rhs(state, g=GRAVITY, **drag_kw):
    pos, vel = state[:2], state[2:]
    return np.concatenate([vel, g + drag(vel, **drag_kw)])


def landing_x(state, *, dt=0.02, n=200, method="midpoint", cd=0.47):
    for _ in range(n):
        if method == "midpoint":
            mid = state + 0.5 * dt * rhs(state, cd=cd)
            new = state + dt * rhs(mid, cd=cd)
        else:
            new = state + dt * rhs(state, cd=cd)
        if new[1] < 0.0:
            frac = state[1] / (state[1] - new[1])
            return state[0] + frac * (new[0] - state[0])
        state = new
    return state[0]


def loss(launch, target=12.0, cd=0.5):
    speed, angle = launch[0], launch[1]
    state = np.array([0.0, 0.0, speed * np.cos(angle), speed * np.sin(angle)])
    x = landing_x(state, cd=cd)
    return (x - target) ** 2 + 0.01 * speed ** 2


f = loss
ARGS = (np.array([13.0, 0.7]),)
