"""The benchmark workloads: each has the function s2sgrad differentiates, its hand-written gradient
(the limit), and the same computation written for the peers (PyTorch, JAX, HIPS autograd, tangent)."""
import numpy as np

# ---------------------------------------------------------------- the seed two-layer network
def mlp_loss(W1, W2, X, y):
    h = X @ W1
    h_relu = np.maximum(h, 0)
    y_hat = h_relu @ W2
    return np.square(y_hat - y).sum()


def mlp_loss_dot(W1, W2, X, y):  # the same, spelled for tangent (which knows np.dot, not @)
    h = np.dot(X, W1)
    h_relu = np.maximum(h, 0.0)
    y_hat = np.dot(h_relu, W2)
    return np.sum(np.square(y_hat - y))


def mlp_hand(W1, W2, X, y):
    h = X.dot(W1)
    h_relu = np.maximum(h, 0)
    y_pred = h_relu.dot(W2)
    diff = y_pred - y
    value = np.square(diff).sum()
    grad_y_pred = 2.0 * diff
    grad_w2 = h_relu.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(W2.T)
    grad_h[h < 0] = 0
    grad_w1 = X.T.dot(grad_h)
    return value, (grad_w1, grad_w2)


def mlp_data(dtype):
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal(s).astype(dtype) for s in ((1000, 100), (100, 10), (64, 1000), (64, 10)))


# ---------------------------------------------------------------- elementwise-heavy on 1e6
def elementwise(x):
    return np.sum(np.tanh(x) * (1 / (1 + np.exp(-x))) + np.exp(-x ** 2))


def elementwise_hand(x):
    t = np.tanh(x)
    e = np.exp(-x)
    s = 1 / (1 + e)
    g = np.exp(-x * x)
    value = np.sum(t * s + g)
    grad = (1 - t * t) * s + t * s * (1 - s) - 2 * x * g
    return value, grad


# ---------------------------------------------------------------- scalar gradient descent
def square(x):
    return x ** 2


# ---------------------------------------------------------------- control flow (tutorial)
def control(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


def control_hand(a, seed):
    b = a * 2
    scale = 2.0
    while np.linalg.norm(b) < 1000:
        b = b * 2
        scale *= 2
    if np.sum(b) > 0:
        return b, seed * scale
    return 100 * b, seed * 100 * scale


# ---------------------------------------------------------------- linear regression
def linreg(w, b, x, y):
    y_hat = w * x + b
    return np.mean((y_hat - y) ** 2)


def linreg_hand(w, b, x, y):
    diff = w * x + b - y
    g = 2 * diff / diff.size
    return np.mean(diff ** 2), (np.sum(g * x), np.sum(g))


# ---------------------------------------------------------------- RNN-style recurrence
def rnn(W, U, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
    return np.sum(h ** 2)


def rnn_hand(W, U, xs, h0):
    hs = [h0]
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
        hs.append(h)
    value = np.sum(h ** 2)
    gh = 2 * h
    gW, gU = np.zeros_like(W), np.zeros_like(U)
    for t in reversed(range(xs.shape[0])):
        ga = gh * (1 - hs[t + 1] ** 2)
        gW += np.outer(ga, hs[t])
        gU += np.outer(ga, xs[t])
        gh = W.T @ ga
    return value, (gW, gU)


def rnn_data(T=50, H=32, D=16):
    rng = np.random.default_rng(0)
    return (rng.standard_normal((H, H)) * 0.3, rng.standard_normal((H, D)) * 0.3,
            rng.standard_normal((T, D)), np.zeros(H))


# ---------------------------------------------------------------- a building's heat balance
def heat_flow(ua, t_hot, t_cold):
    return ua * (t_hot - t_cold)


def heat_balance(p, T0):
    """Boiler tank -> pipe -> floor slab -> room, 20 explicit time steps of one minute.
    p = [UA tank-pipe, UA pipe-slab, UA slab-room, C tank, C pipe, C slab, boiler power]."""
    T_tank = T0[0]
    T_pipe = T0[1]
    T_slab = T0[2]
    for step in range(20):
        q_tp = heat_flow(p[0], T_tank, T_pipe)
        q_ps = heat_flow(p[1], T_pipe, T_slab)
        q_sr = heat_flow(p[2], T_slab, 20.0)
        T_tank = T_tank + 60.0 * (p[6] - q_tp) / p[3]
        T_pipe = T_pipe + 60.0 * (q_tp - q_ps) / p[4]
        T_slab = T_slab + 60.0 * (q_ps - q_sr) / p[5]
    return (T_slab - 22.0) ** 2 + 0.01 * (T_tank - 60.0) ** 2


HEAT_P = np.array([150.0, 120.0, 200.0, 4.0e5, 5.0e4, 2.0e6, 8000.0])
HEAT_T0 = np.array([55.0, 35.0, 21.0])
