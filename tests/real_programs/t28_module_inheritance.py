"""A small module system: a Module base class whose __call__ dispatches to forward(), subclasses
calling super().__init__, a @staticmethod activation, a @property for the weight norm, a residual
block that holds sub-modules, and a model with a regularization method; the model object is
differentiated."""
import numpy as np


class Module:
    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, x):
        raise NotImplementedError


class Dense(Module):
    def __init__(self, name, n_in, n_out, rng):
        super().__init__(name)
        self.W = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
        self.b = np.zeros(n_out)

    @staticmethod
    def activation(x):
        return np.tanh(x)

    @property
    def weight_norm(self):
        return np.sqrt(np.sum(self.W ** 2))

    def forward(self, x, activate=True):
        z = x @ self.W + self.b
        return self.activation(z) if activate else z


class Residual(Module):
    def __init__(self, name, dim, rng):
        super().__init__(name)
        self.inner = Dense(name + ".inner", dim, dim, rng)
        self.scale = 0.5

    def forward(self, x):
        return x + self.scale * self.inner(x)


class Model(Module):
    def __init__(self, rng):
        super().__init__("model")
        self.stem = Dense("stem", 3, 6, rng)
        self.blocks = [Residual(f"block{i}", 6, rng) for i in range(2)]
        self.head = Dense("head", 6, 1, rng)

    def forward(self, x):
        h = self.stem(x)
        for block in self.blocks:
            h = block(h)
        return self.head(h, activate=False)[:, 0]

    def penalty(self):
        return self.stem.weight_norm ** 2 + sum(b.inner.weight_norm ** 2 for b in self.blocks)


def loss(model, X, y, wd=1e-3):
    return np.mean((model(X) - y) ** 2) + wd * model.penalty()


rng = np.random.default_rng(528)
model = Model(rng)
model.head.b = np.array([0.1])
X = rng.standard_normal((20, 3))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2]

f = loss
ARGS = (model, X, y)
