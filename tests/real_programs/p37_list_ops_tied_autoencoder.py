import numpy as np

def tied_autoencoder_loss(Ws, x, sparsity=1e-3):
    h = x
    activations = []
    for W in Ws:
        h = np.tanh(h @ W)
        activations.append(h)
    code = activations.pop()
    # decoder uses the transposed encoder weights in reverse order
    h = code
    for W in reversed(Ws):
        h = np.tanh(h @ W.T)
    penalties = []
    penalties.extend([np.mean(np.abs(a)) for a in activations])
    penalties += [np.mean(np.abs(code))]
    return np.mean((h - x) ** 2) + sparsity * sum(penalties)

rng = np.random.default_rng(36)
Ws = [rng.standard_normal((8, 6)) * 0.4, rng.standard_normal((6, 4)) * 0.4, rng.standard_normal((4, 2)) * 0.4]
x = np.tanh(rng.standard_normal((12, 8)))
f = tied_autoencoder_loss
ARGS = (Ws, x)
