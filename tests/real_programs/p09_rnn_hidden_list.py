import numpy as np

def rnn_loss(Wxh, Whh, Why, bh, by, inputs, targets):
    h = np.zeros(Whh.shape[0])
    hs = [h]
    for t in range(len(inputs)):
        h = np.tanh(Wxh @ inputs[t] + Whh @ hs[-1] + bh)
        hs.append(h)
    loss = 0.0
    for t, h_t in enumerate(hs[1:]):
        y = Why @ h_t + by
        loss += 0.5 * np.sum((y - targets[t]) ** 2)
    return loss / len(inputs)

rng = np.random.default_rng(8)
D, H, O, T = 3, 6, 2, 7
Wxh = rng.standard_normal((H, D)) * 0.5
Whh = rng.standard_normal((H, H)) * 0.3
Why = rng.standard_normal((O, H)) * 0.5
bh, by = 0.1 * rng.standard_normal(H), 0.1 * rng.standard_normal(O)
inputs = rng.standard_normal((T, D))
targets = rng.standard_normal((T, O))
f = rnn_loss
KW = dict(wrt=("Wxh", "Whh", "Why", "bh", "by"))
ARGS = (Wxh, Whh, Why, bh, by, inputs, targets)
