"""Neural Turing Machine read head (Graves et al. 2014): content addressing by cosine similarity
between a key and each memory row, sharpened by a key strength beta through a softmax, interpolated
with the previous weighting by a gate g, circularly convolved with a 3-tap shift kernel (np.roll
over a list of offsets), then sharpened by gamma >= 1 and renormalised.  A few time steps are run
with controller outputs produced by a linear layer from a dict of parameters (softplus for beta and
gamma, sigmoid for the gate, softmax for the shift); the read vectors are matched to targets with a
squared error.  Differentiated w.r.t. the parameter dict."""
import numpy as np

N, M = 12, 6


def softplus(x):
    return np.log1p(np.exp(x))


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


def address(memory, key, beta, g, shift, gamma, w_prev):
    norms = np.linalg.norm(memory, axis=1) * np.linalg.norm(key) + 1e-8
    sim = memory @ key / norms
    w_c = softmax(beta * sim)
    w_g = g * w_c + (1 - g) * w_prev
    w_s = np.zeros_like(w_g)
    for s, offset in zip(shift, (-1, 0, 1)):
        w_s += s * np.roll(w_g, offset)
    w = w_s ** gamma
    return w / np.sum(w)


def controller(params, x):
    out = params["W"] @ x + params["b"]
    key, beta, g, shift, gamma = np.split(out, [M, M + 1, M + 2, M + 5])
    return np.tanh(key), softplus(beta[0]), 1 / (1 + np.exp(-g[0])), softmax(shift), 1 + softplus(gamma[0])


def loss(params, memory, inputs, targets):
    w = np.ones(N) / N
    total = 0.0
    for x, y in zip(inputs, targets):
        key, beta, g, shift, gamma = controller(params, x)
        w = address(memory, key, beta, g, shift, gamma, w)
        r = w @ memory
        total += np.sum((r - y) ** 2)
    return total / len(inputs)


rng = np.random.default_rng(1)
memory = rng.standard_normal((N, M))
inputs = [rng.standard_normal(4) for _ in range(5)]
targets = [memory[i] * 0.8 for i in (2, 3, 4, 4, 5)]
params = {"W": 0.4 * rng.standard_normal((M + 6, 4)), "b": np.zeros(M + 6)}
f = loss
ARGS = (params, memory, inputs, targets)
