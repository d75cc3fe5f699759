import numpy as np

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))

def lstm_step(x, h, c, W, U, b):
    z = W @ x + U @ h + b
    i, f, o, g = np.split(z, 4)
    i, f, o = sigmoid(i), sigmoid(f), sigmoid(o)
    g = np.tanh(g)
    c = f * c + i * g
    h = o * np.tanh(c)
    return h, c

def lstm_loss(W, U, b, V, xs, ys):
    H = U.shape[1]
    h, c = np.zeros(H), np.zeros(H)
    outputs = []
    for x in xs:
        h, c = lstm_step(x, h, c, W, U, b)
        outputs.append(V @ h)
    preds = np.stack(outputs)
    return np.mean((preds - ys) ** 2)

rng = np.random.default_rng(9)
D, H, T = 3, 5, 6
W = rng.standard_normal((4 * H, D)) * 0.4
U = rng.standard_normal((4 * H, H)) * 0.4
b = 0.1 * rng.standard_normal(4 * H)
V = rng.standard_normal((1, H))
xs = rng.standard_normal((T, D))
ys = rng.standard_normal((T, 1))
f = lstm_loss
KW = dict(wrt=("W", "U", "b", "V"))
ARGS = (W, U, b, V, xs, ys)
