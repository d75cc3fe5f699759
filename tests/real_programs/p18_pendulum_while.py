import numpy as np

def simulate_pendulum(params, theta0, omega0, T=2.0, dt=0.01):
    g, L, damping = params
    theta, omega = theta0, omega0
    t = 0.0
    thetas = []
    while t < T:
        alpha = -(g / L) * np.sin(theta) - damping * omega
        omega = omega + dt * alpha          # semi-implicit Euler
        theta = theta + dt * omega
        thetas.append(theta)
        t += dt
    return np.array(thetas)

def loss(params, theta0, omega0, observed):
    traj = simulate_pendulum(params, theta0, omega0)
    n = min(len(traj), len(observed))
    return np.mean((traj[:n] - observed[:n]) ** 2)

rng = np.random.default_rng(17)
params = np.array([9.81, 1.2, 0.3])
observed = 0.5 * np.cos(np.linspace(0, 2, 200) * 2.8)
f = loss
KW = dict(wrt=("params", "theta0", "omega0"))
ARGS = (params, 0.5, 0.1, observed)
