"""Differentiable soft rasteriser for a few coloured 2D triangles with depth: barycentric weights
from edge functions on a pixel grid, sigmoid coverage of the smallest barycentric coordinate,
softmax z-buffer over faces plus background, L2 to a target image."""
import numpy as np


def edge_fn(p, a, b):
    return (b[0] - a[0]) * (p[..., 1] - a[1]) - (b[1] - a[1]) * (p[..., 0] - a[0])


def softmax(z, axis=0):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def render(verts, faces, colors, depth, H=16, W=16, sigma=0.02, gamma=0.05, background=(1.0, 1.0, 1.0)):
    ys, xs = np.meshgrid((np.arange(H) + 0.5) / H, (np.arange(W) + 0.5) / W, indexing="ij")
    pix = np.stack([xs, ys], axis=-1)
    logits, layers = [], []
    for i, j, k in faces:
        a, b, c = verts[i], verts[j], verts[k]
        area = edge_fn(c, a, b)
        w0 = edge_fn(pix, b, c) / area
        w1 = edge_fn(pix, c, a) / area
        w2 = 1.0 - w0 - w1
        inside = 1.0 / (1.0 + np.exp(-np.minimum(np.minimum(w0, w1), w2) / sigma))
        z = w0 * depth[i] + w1 * depth[j] + w2 * depth[k]
        logits.append(np.log(inside + 1e-6) - z / gamma)
        layers.append(w0[..., None] * colors[i] + w1[..., None] * colors[j] + w2[..., None] * colors[k])
    logits.append(np.full((H, W), np.log(1e-3) - 1.0 / gamma))
    layers.append(np.broadcast_to(np.array(background), (H, W, 3)))
    weights = softmax(np.stack(logits), axis=0)
    return np.einsum("fhw,fhwc->hwc", weights, np.stack(layers))


def image_loss(verts, faces, colors, depth, target):
    return np.mean((render(verts, faces, colors, depth) - target) ** 2)


faces = [(0, 1, 2), (1, 3, 2)]
colors = np.array([[0.9, 0.1, 0.1], [0.1, 0.8, 0.2], [0.2, 0.2, 0.9], [0.9, 0.9, 0.1]])
depth = np.array([0.3, 0.5, 0.4, 0.6])
true_verts = np.array([[0.2, 0.2], [0.8, 0.25], [0.3, 0.8], [0.85, 0.75]])
target = render(true_verts, faces, colors, depth)
verts = true_verts + np.array([[0.03, -0.02], [-0.04, 0.05], [0.02, 0.03], [-0.03, -0.04]])

f = image_loss
ARGS = (verts, faces, colors, depth, target)
