"""Kipf & Welling's GCN for semi-supervised node classification: symmetric normalisation
D^-1/2 (A + I) D^-1/2 with np.diag(d ** -0.5), layers from a list of weight matrices in an
enumerate loop with ReLU and fixed dropout masks between layers, the loss on the labelled nodes only
(log_softmax indexed by a boolean mask and the labels under it), weight decay on the first layer."""
import numpy as np


def normalize_adj(A):
    A_hat = A + np.eye(A.shape[0])
    d = A_hat.sum(axis=1)
    D_inv_sqrt = np.diag(d ** -0.5)
    return D_inv_sqrt @ A_hat @ D_inv_sqrt


def gcn_loss(weights, A, X, labels, train_mask, dropout_masks=None, keep=0.5, weight_decay=5e-4):
    A_norm = normalize_adj(A)
    H = X
    for i, W in enumerate(weights):
        H = A_norm @ H @ W
        if i < len(weights) - 1:
            H = np.maximum(H, 0.0)
            if dropout_masks is not None:
                H = H * dropout_masks[i] / keep
    Z = H - H.max(axis=1, keepdims=True)
    log_softmax = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    nll = -log_softmax[train_mask, labels[train_mask]]
    return nll.mean() + weight_decay * np.sum(weights[0] ** 2)


rng = np.random.default_rng(735)
n, d_in, d_h, n_cls = 14, 6, 8, 3
labels = np.repeat(np.arange(n_cls), [5, 5, 4])
P = np.where(labels[:, None] == labels[None, :], 0.5, 0.08)
A = np.triu((rng.random((n, n)) < P).astype(float), 1)
A = A + A.T
X = rng.standard_normal((n, d_in)) + 0.8 * np.eye(n_cls)[labels] @ rng.standard_normal((n_cls, d_in))
train_mask = np.zeros(n, dtype=bool)
train_mask[[0, 1, 5, 6, 10, 11]] = True
weights = [rng.standard_normal((d_in, d_h)) / np.sqrt(d_in), rng.standard_normal((d_h, n_cls)) / np.sqrt(d_h)]
dropout_masks = [(rng.random((n, d_h)) < 0.5).astype(float)]
f = gcn_loss
ARGS = (weights, A, X, labels, train_mask, dropout_masks)
