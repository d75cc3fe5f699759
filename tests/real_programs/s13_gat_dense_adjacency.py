"""Graph attention network (Velickovic et al.) on a dense adjacency matrix: per-head linear maps,
attention logits a^T [W h_i || W h_j] built by broadcasting, LeakyReLU, non-edges masked with
np.where(adj > 0, e, -1e9) before a row softmax, heads concatenated then averaged in the last layer;
node classification cross-entropy on the labelled nodes only."""
import numpy as np


def leaky_relu(x, slope=0.2):
    return np.where(x > 0, x, slope * x)


def elu(x):
    return np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)


def gat_layer(h, adj, W, a_src, a_dst, concat=True):
    # W: (heads, d_in, d_out); a_src, a_dst: (heads, d_out)
    Wh = np.einsum("nd,hdk->hnk", h, W)
    e_src = np.einsum("hnk,hk->hn", Wh, a_src)
    e_dst = np.einsum("hnk,hk->hn", Wh, a_dst)
    e = leaky_relu(e_src[:, :, None] + e_dst[:, None, :])
    e = np.where(adj[None] > 0, e, -1e9)
    e = e - e.max(axis=-1, keepdims=True)
    att = np.exp(e)
    att = att / att.sum(axis=-1, keepdims=True)
    out = att @ Wh                                  # (heads, n, d_out)
    if concat:
        return elu(np.concatenate(list(out), axis=-1))
    return out.mean(axis=0)


def node_loss(params, X, adj, labels, train_mask):
    h = gat_layer(X, adj, params["W1"], params["a1_src"], params["a1_dst"])
    logits = gat_layer(h, adj, params["W2"], params["a2_src"], params["a2_dst"], concat=False)
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    picked = logp[np.arange(len(labels)), labels]
    return -picked[train_mask].mean()


rng = np.random.default_rng(13)
n, d, heads, hid, C = 10, 5, 2, 3, 3
A = (rng.random((n, n)) < 0.3).astype(float)
adj = np.maximum(A, A.T)
np.fill_diagonal(adj, 1.0)
X = rng.standard_normal((n, d))
labels = rng.integers(0, C, n)
train_mask = np.zeros(n, dtype=bool)
train_mask[:6] = True
params = {"W1": 0.4 * rng.standard_normal((heads, d, hid)),
          "a1_src": 0.4 * rng.standard_normal((heads, hid)), "a1_dst": 0.4 * rng.standard_normal((heads, hid)),
          "W2": 0.4 * rng.standard_normal((1, heads * hid, C)),
          "a2_src": 0.4 * rng.standard_normal((1, C)), "a2_dst": 0.4 * rng.standard_normal((1, C))}

f = node_loss
KW = dict(wrt="params")
ARGS = (params, X, adj, labels, train_mask)
