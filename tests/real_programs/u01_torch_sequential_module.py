"""PyTorch-style regression MLP: a Module base class whose __call__ forwards *args/**kwargs to
forward(), Linear/Tanh layers held in a Sequential container's list, and a parameters() generator
walking the module tree for weight decay."""
import numpy as np


class Module:
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def parameters(self):
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                yield value
            elif isinstance(value, Module):
                yield from value.parameters()
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Module):
                        yield from item.parameters()


class Linear(Module):
    def __init__(self, in_features, out_features, rng, bias=True):
        bound = 1.0 / np.sqrt(in_features)
        self.weight = rng.uniform(-bound, bound, (out_features, in_features))
        self.bias = rng.uniform(-bound, bound, out_features) if bias else None

    def forward(self, x):
        out = x @ self.weight.T
        if self.bias is not None:
            out = out + self.bias
        return out


class Tanh(Module):
    def forward(self, x):
        return np.tanh(x)


class Sequential(Module):
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def mse_loss(input, target, reduction="mean"):
    err = (input - target) ** 2
    if reduction == "mean":
        return err.mean()
    elif reduction == "sum":
        return err.sum()
    return err


def train_loss(model, X, y, weight_decay=1e-3):
    pred = model(X).squeeze(-1)
    loss = mse_loss(pred, y)
    loss = loss + weight_decay * sum((p ** 2).sum() for p in model.parameters())
    return loss


rng = np.random.default_rng(601)
X = rng.standard_normal((40, 3))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] + 0.05 * rng.standard_normal(40)
model = Sequential(Linear(3, 16, rng), Tanh(), Linear(16, 8, rng), Tanh(), Linear(8, 1, rng))

f = train_loss
ARGS = (model, X, y)
