"""A tiny memory network: hidden states appended to a list in a loop, then read back with
reversed() and zip() of consecutive pairs for a temporal-smoothness term, attention over the list
stacked into a matrix, and a list of per-step outputs averaged at the end."""
import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def run_memory(Wx, Wh, q, xs):
    h = np.zeros(Wh.shape[0])
    memory = []
    for x in xs:
        h = np.tanh(Wx @ x + Wh @ h)
        memory.append(h)
    M = np.stack(memory)
    outputs = []
    for t, m in enumerate(reversed(memory)):
        att = softmax(M @ (q + 0.1 * t * m))
        outputs.append(att @ M)
    smooth = sum(np.sum((b - a) ** 2) for a, b in zip(memory[:-1], memory[1:]))
    return outputs, smooth


def loss(Wx, Wh, q, xs, target):
    outputs, smooth = run_memory(Wx, Wh, q, xs)
    pred = sum(outputs) / len(outputs)
    return np.sum((pred - target) ** 2) + 0.05 * smooth


rng = np.random.default_rng(16)
H, D, T = 5, 3, 7
Wx = 0.5 * rng.standard_normal((H, D))
Wh = 0.3 * rng.standard_normal((H, H))
q = rng.standard_normal(H)
xs = rng.standard_normal((T, D))
target = 0.1 * np.arange(H)

f = loss
ARGS = (Wx, Wh, q, xs, target)
KW = {"wrt": ("Wx", "Wh", "q")}
