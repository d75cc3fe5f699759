"""Stacked autoencoder with tied weights: the encoder appends each hidden state to a list, the
decoder walks reversed(Ws) with W.T; the loss reads hs[1:] for sparsity and pops the code."""
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def autoencoder_loss(Ws, cs, x, sparsity=0.05, beta=0.1):
    hs = [x]
    h = x
    for W in Ws:
        h = sigmoid(h @ W)
        hs.append(h)
    code = hs.pop()
    r = code
    for W, c in zip(reversed(Ws), cs):
        r = sigmoid(r @ W.T + c)
    recon = np.mean((r - x) ** 2)
    act_pen = 0.0
    for h_l in hs[1:]:
        rho_hat = np.mean(h_l, axis=0)
        act_pen += np.sum(sparsity * np.log(sparsity / rho_hat)
                          + (1 - sparsity) * np.log((1 - sparsity) / (1 - rho_hat)))
    terms = []
    terms.extend([recon, beta * act_pen])
    terms.append(1e-3 * np.sum(code ** 2))
    return sum(terms)

rng = np.random.default_rng(29)
sizes = [8, 6, 4, 3]
Ws = [rng.standard_normal((a, b)) * 0.5 for a, b in zip(sizes[:-1], sizes[1:])]
cs = [0.1 * rng.standard_normal(a) for a in reversed(sizes[:-1])]
f = autoencoder_loss
KW = dict(wrt=("Ws", "cs"))
ARGS = (Ws, cs, rng.uniform(0, 1, (12, 8)))
