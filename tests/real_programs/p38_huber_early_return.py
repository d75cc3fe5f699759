import numpy as np

def huber_residual_loss(params, t, y, delta=1.0, budget=1e6):
    a, b, c = params
    r = y - (a * np.exp(-b * t) + c)
    total = 0.0
    for i in range(len(r)):
        if abs(r[i]) <= delta:
            total += 0.5 * r[i] ** 2
        else:
            total += delta * (abs(r[i]) - 0.5 * delta)
        if total > budget:
            return budget
    return total / len(r)

rng = np.random.default_rng(37)
t = np.linspace(0, 4, 25)
y = 2.0 * np.exp(-0.7 * t) + 0.3 + 0.05 * rng.standard_normal(25)
y[[3, 11, 19]] += np.array([2.5, -3.0, 4.0])    # outliers
f = huber_residual_loss
ARGS = (np.array([1.5, 0.5, 0.1]), t, y)
