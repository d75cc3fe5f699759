"""Single-shooting trajectory optimisation for a 2-D lander: thrust magnitude clipped to the engine
range with np.clip, gimbal angle bounded by tanh, mass decreasing with fuel burn, the simulation
running in a while loop until touchdown (or a step cap); the cost penalises touchdown velocity,
distance to the pad, tilt and fuel."""
import numpy as np

CONFIG = dict(dt=0.1, g=1.62, isp_g0=300.0, t_min=0.0, t_max=4.0, max_gimbal=0.3, max_steps=80)


def dynamics(state, thrust, gimbal, cfg=CONFIG):
    x, y, vx, vy, m = state
    ax = thrust * np.sin(gimbal) / m
    ay = thrust * np.cos(gimbal) / m - cfg["g"]
    dm = -thrust / cfg["isp_g0"]
    return np.array([vx, vy, ax, ay, dm])


def simulate(controls, state0, cfg=CONFIG):
    state = state0
    k = 0
    fuel = 0.0
    while state[1] > 0 and k < cfg["max_steps"]:
        raw_thrust, raw_gimbal = controls[min(k, len(controls) - 1)]
        thrust = np.clip(raw_thrust, cfg["t_min"], cfg["t_max"])
        gimbal = cfg["max_gimbal"] * np.tanh(raw_gimbal)
        state = state + cfg["dt"] * dynamics(state, thrust, gimbal)
        fuel = fuel + thrust * cfg["dt"]
        k += 1
    return state, fuel, k


def landing_cost(controls, state0, pad_x=0.0):
    state, fuel, steps = simulate(controls, state0)
    x, y, vx, vy, m = state
    return 10 * vy ** 2 + 5 * vx ** 2 + (x - pad_x) ** 2 + 0.01 * fuel


rng = np.random.default_rng(21)
controls = np.column_stack([1.5 + 0.4 * rng.standard_normal(40), 0.1 * rng.standard_normal(40)])
state0 = np.array([-3.0, 10.0, 0.5, -1.0, 1.0])
f = landing_cost
ARGS = (controls, state0)
