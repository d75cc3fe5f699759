"""A simulator class made inside the loss: __init__ assigns state, step() updates self.x and
self.v and increments self.t, energy is a @property; a controller gain vector is differentiated
through 25 steps; the running cost is accumulated on the object too."""
import numpy as np


class Pendulums:
    def __init__(self, theta, omega, dt):
        self.theta = theta
        self.omega = omega
        self.dt = dt
        self.t = 0.0
        self.cost = 0.0

    @property
    def energy(self):
        return np.sum(0.5 * self.omega ** 2 + (1.0 - np.cos(self.theta)))

    def step(self, torque):
        self.omega = self.omega + self.dt * (-np.sin(self.theta) + torque)
        self.theta = self.theta + self.dt * self.omega
        self.t = self.t + self.dt
        self.cost = self.cost + self.dt * np.sum(torque ** 2)


def control_loss(gains, theta0, omega0, steps=25):
    sim = Pendulums(theta0, omega0, 0.1)
    for _ in range(steps):
        torque = -gains[0] * sim.theta - gains[1] * sim.omega
        sim.step(torque)
    return sim.energy + 0.1 * sim.cost


theta0 = np.array([0.5, -0.3, 1.0])
omega0 = np.array([0.0, 0.2, -0.1])

f = control_loss
ARGS = (np.array([0.8, 0.5]), theta0, omega0)
