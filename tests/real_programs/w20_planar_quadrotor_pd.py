"""Planar quadrotor hover-to-waypoint with a cascaded PD controller: the vehicle's physical
constants in a frozen dataclass, the state in a mutable dataclass updated field by field each
semi-implicit Euler step, the two rotor thrusts clipped to their limits with np.clip, the trajectory
logged in lists that are np.stack'ed for the cost; gains in a dict are tuned, so the gradient is
w.r.t. that dict."""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Vehicle:
    mass: float = 0.5
    inertia: float = 2.5e-3
    arm: float = 0.12
    max_thrust: float = 4.0
    g: float = 9.81


@dataclass
class State:
    x: float
    z: float
    theta: float
    vx: float
    vz: float
    omega: float


def controller(s, target, gains, veh):
    ax_cmd = gains["kp_xy"] * (target[0] - s.x) - gains["kd_xy"] * s.vx
    az_cmd = gains["kp_z"] * (target[1] - s.z) - gains["kd_z"] * s.vz
    theta_cmd = -ax_cmd / veh.g
    total = veh.mass * (veh.g + az_cmd) / np.cos(s.theta)
    torque = veh.inertia * (gains["kp_att"] * (theta_cmd - s.theta) - gains["kd_att"] * s.omega)
    diff = torque / veh.arm
    return np.clip(np.array([0.5 * (total + diff), 0.5 * (total - diff)]), 0.0, veh.max_thrust)


def simulate_cost(gains, target, veh=Vehicle(), dt=0.01, steps=150):
    s = State(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    positions, thrusts = [], []
    for k in range(steps):
        u = controller(s, target, gains, veh)
        F, tau = u.sum(), (u[0] - u[1]) * veh.arm
        s.vx += dt * (-F * np.sin(s.theta) / veh.mass)
        s.vz += dt * (F * np.cos(s.theta) / veh.mass - veh.g)
        s.omega += dt * tau / veh.inertia
        s.x += dt * s.vx
        s.z += dt * s.vz
        s.theta += dt * s.omega
        positions.append(np.array([s.x, s.z]))
        thrusts.append(u)
    P, U = np.stack(positions), np.stack(thrusts)
    tracking = np.mean(np.sum((P - target) ** 2, axis=1))
    effort = 1e-3 * np.mean((U - veh.mass * veh.g / 2) ** 2)
    return tracking + effort


gains = {"kp_xy": 2.0, "kd_xy": 2.2, "kp_z": 4.0, "kd_z": 3.0, "kp_att": 60.0, "kd_att": 10.0}
f = simulate_cost
ARGS = (gains, np.array([1.0, 0.5]))
