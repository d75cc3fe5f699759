"""Character-level GRU language model on a short text: vocabulary from sorted(set(text)), index
lookups through a dict comprehension, one-hot inputs by np.eye(V)[ids], a GRU cell whose
parameters are a dict (update/reset/candidate weights), hidden state carried through
enumerate(zip(inputs, targets)), per-step cross-entropy with a hand-written logsumexp, and
gradient-style norm clipping replaced by a penalty on the recurrent matrices' spectral norms
(np.linalg.norm(ord=2)).  Differentiated w.r.t. the parameter dict."""
import numpy as np

text = "the quick brown fox jumps over the lazy dog"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
V, H = len(chars), 12


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def gru_cell(p, x, h):
    z = sigmoid(p["Wz"] @ x + p["Uz"] @ h + p["bz"])
    r = sigmoid(p["Wr"] @ x + p["Ur"] @ h + p["br"])
    n = np.tanh(p["Wn"] @ x + p["Un"] @ (r * h) + p["bn"])
    return (1 - z) * n + z * h


def lm_loss(p, text):
    ids = [stoi[c] for c in text]
    xs = np.eye(V)[ids[:-1]]
    h = np.zeros(H)
    loss = 0.0
    for t, (x, target) in enumerate(zip(xs, ids[1:])):
        h = gru_cell(p, x, h)
        logits = p["Wy"] @ h + p["by"]
        m = logits.max()
        loss += m + np.log(np.sum(np.exp(logits - m))) - logits[target]
    reg = sum(np.linalg.norm(p[k], ord=2) ** 2 for k in ("Uz", "Ur", "Un"))
    return loss / (len(ids) - 1) + 1e-3 * reg


rng = np.random.default_rng(28)
p = {}
for g in "zrn":
    p["W" + g] = 0.2 * rng.standard_normal((H, V))
    p["U" + g] = 0.2 * rng.standard_normal((H, H))
    p["b" + g] = np.zeros(H)
p["Wy"] = 0.2 * rng.standard_normal((V, H))
p["by"] = np.zeros(V)
f = lm_loss
ARGS = (p, text)
