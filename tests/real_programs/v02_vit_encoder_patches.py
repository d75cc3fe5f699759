"""A tiny Vision Transformer: images cut into patches with reshape/transpose, a learned [CLS] token
concatenated in front, learned position embeddings, pre-norm encoder blocks (multi-head
self-attention with np.split of a fused qkv projection, a GELU MLP), layer norms called with
**dict unpacking of their parameters, cross-entropy on the CLS token.  Parameters are a nested dict
with a list of block dicts."""
import numpy as np


def patchify(img, p):
    C, H, W = img.shape
    x = img.reshape(C, H // p, p, W // p, p)
    x = x.transpose(1, 3, 0, 2, 4).reshape((H // p) * (W // p), C * p * p)
    return x


def layer_norm(x, gamma, beta, eps=1e-6):
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def attention(x, p, n_heads):
    T, D = x.shape
    hd = D // n_heads
    qkv = x @ p["qkv"]["w"] + p["qkv"]["b"]
    q, k, v = np.split(qkv, 3, axis=-1)
    q = q.reshape(T, n_heads, hd).transpose(1, 0, 2)
    k = k.reshape(T, n_heads, hd).transpose(1, 0, 2)
    v = v.reshape(T, n_heads, hd).transpose(1, 0, 2)
    att = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
    att = np.exp(att - att.max(-1, keepdims=True))
    att /= att.sum(-1, keepdims=True)
    out = (att @ v).transpose(1, 0, 2).reshape(T, D)
    return out @ p["proj"]["w"] + p["proj"]["b"]


def mlp(x, p):
    return gelu(x @ p["fc1"]["w"] + p["fc1"]["b"]) @ p["fc2"]["w"] + p["fc2"]["b"]


def vit_loss(params, images, labels, patch=4, n_heads=2):
    losses = []
    for img, lab in zip(images, labels):
        tokens = patchify(img, patch) @ params["embed"]
        x = np.concatenate([params["cls"], tokens], axis=0) + params["pos"]
        for blk in params["blocks"]:
            x = x + attention(layer_norm(x, **blk["ln1"]), blk["attn"], n_heads)
            x = x + mlp(layer_norm(x, **blk["ln2"]), blk["mlp"])
        logits = layer_norm(x[0], **params["ln_f"]) @ params["head"]
        m = logits.max()
        logp = logits - m - np.log(np.sum(np.exp(logits - m)))
        losses.append(-logp[lab])
    return np.mean(losses)


def init(rng, C=3, img=8, patch=4, D=16, depth=2, n_classes=3):
    def lin(i, o):
        return {"w": rng.standard_normal((i, o)) / np.sqrt(i), "b": np.zeros(o)}

    def ln(d):
        return {"gamma": np.ones(d) + 0.05 * rng.standard_normal(d), "beta": 0.05 * rng.standard_normal(d)}

    n_tok = (img // patch) ** 2 + 1
    return {
        "embed": rng.standard_normal((C * patch * patch, D)) / np.sqrt(C * patch * patch),
        "cls": 0.02 * rng.standard_normal((1, D)),
        "pos": 0.02 * rng.standard_normal((n_tok, D)),
        "blocks": [{"ln1": ln(D), "attn": {"qkv": lin(D, 3 * D), "proj": lin(D, D)},
                    "ln2": ln(D), "mlp": {"fc1": lin(D, 2 * D), "fc2": lin(2 * D, D)}} for _ in range(depth)],
        "ln_f": ln(D),
        "head": rng.standard_normal((D, n_classes)) / np.sqrt(D),
    }


rng = np.random.default_rng(702)
params = init(rng)
images = rng.standard_normal((4, 3, 8, 8))
labels = np.array([0, 2, 1, 2])

f = vit_loss
ARGS = (params, images, labels)
