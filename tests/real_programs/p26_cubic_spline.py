import numpy as np

def natural_cubic_spline_eval(x_knots, y_knots, x_query):
    n = len(x_knots)
    h = np.diff(x_knots)
    A = np.zeros((n, n))
    rhs = np.zeros(n)
    A[0, 0] = 1.0
    A[-1, -1] = 1.0
    for i in range(1, n - 1):
        A[i, i - 1] = h[i - 1]
        A[i, i] = 2 * (h[i - 1] + h[i])
        A[i, i + 1] = h[i]
        rhs[i] = 3 * ((y_knots[i + 1] - y_knots[i]) / h[i] - (y_knots[i] - y_knots[i - 1]) / h[i - 1])
    c = np.linalg.solve(A, rhs)
    b = (y_knots[1:] - y_knots[:-1]) / h - h * (2 * c[:-1] + c[1:]) / 3
    d = (c[1:] - c[:-1]) / (3 * h)
    idx = np.clip(np.searchsorted(x_knots, x_query) - 1, 0, n - 2)
    dx = x_query - x_knots[idx]
    return y_knots[idx] + b[idx] * dx + c[idx] * dx ** 2 + d[idx] * dx ** 3

def fit_loss(y_knots, x_knots, x_data, y_data, smooth=1e-2):
    pred = natural_cubic_spline_eval(x_knots, y_knots, x_data)
    rough = np.sum(np.diff(y_knots, 2) ** 2)
    return np.mean((pred - y_data) ** 2) + smooth * rough

rng = np.random.default_rng(25)
x_knots = np.linspace(0, 2 * np.pi, 8)
y_knots = np.sin(x_knots) + 0.1 * rng.standard_normal(8)
x_data = np.sort(rng.uniform(0.1, 2 * np.pi - 0.1, 30))
y_data = np.sin(x_data) + 0.05 * rng.standard_normal(30)
f = fit_loss
ARGS = (y_knots, x_knots, x_data, y_data)
