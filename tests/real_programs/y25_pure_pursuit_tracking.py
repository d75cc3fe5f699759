"""Pure-pursuit path tracking for a kinematic bicycle: at each step the controller finds the
nearest reference point (np.argmin of squared distances), walks forward along the path in a while
loop until a point at least the look-ahead distance away is found (break, or the path's end), and
steers by the pure-pursuit law with the heading error wrapped by arctan2(sin, cos).  The vehicle
state is a small dataclass updated with dataclasses.replace; a module-level counter records
simulations.  The loss is the mean squared cross-track error plus a steering-effort term,
differentiated w.r.t. the gains dict (look-ahead gain and base, speed)."""
import dataclasses
import math

import numpy as np

WHEELBASE = 2.7
DT = 0.05
MAX_STEER = math.radians(30.0)
N_SIMS = 0


@dataclasses.dataclass(frozen=True)
class State:
    x: float
    y: float
    yaw: float
    v: float


def wrap(a):
    return np.arctan2(np.sin(a), np.cos(a))


def target_index(state, path, lookahead, start):
    d2 = (path[start:, 0] - state.x) ** 2 + (path[start:, 1] - state.y) ** 2
    idx = start + int(np.argmin(d2))
    while idx < len(path) - 1:
        if math.hypot(path[idx, 0] - state.x, path[idx, 1] - state.y) >= lookahead:
            break
        idx += 1
    return idx


def simulate(gains, path, steps=120):
    global N_SIMS
    N_SIMS += 1
    s = State(path[0, 0], path[0, 1] - 0.5, 0.0, gains["speed"])
    idx = 0
    cte, effort = [], 0.0
    for _ in range(steps):
        ld = gains["k_la"] * s.v + gains["ld0"]
        idx = target_index(s, path, ld, idx)
        tx, ty = path[idx]
        alpha = wrap(math.atan2(ty - s.y, tx - s.x) - s.yaw)
        steer = float(np.clip(math.atan2(2.0 * WHEELBASE * math.sin(alpha), ld), -MAX_STEER, MAX_STEER))
        s = dataclasses.replace(s, x=s.x + s.v * math.cos(s.yaw) * DT, y=s.y + s.v * math.sin(s.yaw) * DT,
                                yaw=s.yaw + s.v / WHEELBASE * math.tan(steer) * DT)
        near = np.min(np.hypot(path[:, 0] - s.x, path[:, 1] - s.y))
        cte.append(near)
        effort += steer ** 2
    return np.mean(np.square(cte)) + 0.01 * effort / steps


xs = np.linspace(0.0, 40.0, 400)
path = np.column_stack([xs, 2.0 * np.sin(xs / 6.0)])
f = simulate
ARGS = ({"k_la": 0.4, "ld0": 1.5, "speed": 5.0}, path)
