"""Operator splitting for a reaction-diffusion 1-D model: the sub-steps are lambdas stored in a list
(diffusion, reaction, decay), applied in a Strang sequence built from the list with slicing and
reversed(); the loss fits the reaction rate and diffusivity to a target profile."""
import numpy as np


def laplacian(u):
    return np.roll(u, 1) - 2 * u + np.roll(u, -1)


def make_steps(D, r, decay):
    return [
        lambda u, h: u + h * D * laplacian(u),
        lambda u, h: u + h * r * u * (1.0 - u),
        lambda u, h: u * np.exp(-decay * h),
    ]


def strang(steps, u, dt):
    for step in steps[:-1]:
        u = step(u, 0.5 * dt)
    u = steps[-1](u, dt)
    for step in reversed(steps[:-1]):
        u = step(u, 0.5 * dt)
    return u


def loss(theta, u0, target, n_steps=15, dt=0.1):
    D, r = np.exp(theta[0]), np.exp(theta[1])
    steps = make_steps(D, r, 0.05)
    u = u0
    for _ in range(n_steps):
        u = strang(steps, u, dt)
    return np.sum((u - target) ** 2)


x = np.linspace(0, 1, 24, endpoint=False)
u0 = 0.5 * np.exp(-((x - 0.5) / 0.1) ** 2)
target = 0.4 * np.exp(-((x - 0.5) / 0.18) ** 2) + 0.05

f = loss
ARGS = (np.array([np.log(0.3), np.log(0.8)]), u0, target)
