import numpy as np

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def gru_cell(p, x, h):
    z = sigmoid(p["Wz"] @ x + p["Uz"] @ h + p["bz"])
    r = sigmoid(p["Wr"] @ x + p["Ur"] @ h + p["br"])
    h_tilde = np.tanh(p["Wh"] @ x + p["Uh"] @ (r * h) + p["bh"])
    return (1 - z) * h + z * h_tilde

def bigru_loss(params, xs, y):
    T = xs.shape[0]
    H = params["fwd"]["Uz"].shape[0]
    h_f = np.zeros(H)
    for t in range(T):
        h_f = gru_cell(params["fwd"], xs[t], h_f)
    h_b = np.zeros(H)
    for t in reversed(range(T)):
        h_b = gru_cell(params["bwd"], xs[t], h_b)
    feat = np.concatenate([h_f, h_b])
    logit = params["w_out"] @ feat + params["b_out"]
    # binary cross entropy with logits
    return np.maximum(logit, 0) - logit * y + np.log1p(np.exp(-np.abs(logit)))

def make_gru(rng, D, H):
    p = {}
    for g in "zrh":
        p["W" + g] = rng.standard_normal((H, D)) * 0.5
        p["U" + g] = rng.standard_normal((H, H)) * 0.5
        p["b" + g] = 0.1 * rng.standard_normal(H)
    return p

rng = np.random.default_rng(10)
D, H, T = 3, 4, 5
params = {"fwd": make_gru(rng, D, H), "bwd": make_gru(rng, D, H),
          "w_out": rng.standard_normal(2 * H), "b_out": 0.3}
xs = rng.standard_normal((T, D))
f = bigru_loss
ARGS = (params, xs, 1.0)
