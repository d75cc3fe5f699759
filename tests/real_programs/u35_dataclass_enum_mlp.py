"""Config-driven MLP in a dataclass: an Enum picks the activation from a dict of lambdas, list fields
with field(default_factory=...), a @classmethod constructor, a @property depth, a @staticmethod
penalty, enumerate(start=1) over zip(weights, biases); wrt the model object."""
from dataclasses import dataclass, field
from enum import Enum

import numpy as np


class Activation(Enum):
    RELU = "relu"
    GELU = "gelu"
    TANH = "tanh"


ACTIVATIONS = {
    Activation.RELU: lambda x: np.maximum(x, 0.0),
    Activation.GELU: lambda x: 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3))),
    Activation.TANH: np.tanh,
}


@dataclass
class MLPConfig:
    sizes: list = field(default_factory=lambda: [3, 16, 16, 1])
    activation: Activation = Activation.GELU


@dataclass
class MLP:
    weights: list = field(default_factory=list)
    biases: list = field(default_factory=list)
    config: MLPConfig = field(default_factory=MLPConfig)
    weight_decay: float = 1e-3

    @classmethod
    def init(cls, config, rng):
        ws = [rng.standard_normal((a, b)) / np.sqrt(a) for a, b in zip(config.sizes[:-1], config.sizes[1:])]
        bs = [np.zeros(b) for b in config.sizes[1:]]
        return cls(ws, bs, config)

    @property
    def depth(self):
        return len(self.weights)

    @staticmethod
    def l2(arrays):
        return sum(np.sum(a ** 2) for a in arrays)

    def __call__(self, x):
        act = ACTIVATIONS[self.config.activation]
        for i, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            x = x @ W + b
            if i < self.depth:
                x = act(x)
        return x


def loss(model, X, y):
    pred = model(X)[:, 0]
    return np.mean((pred - y) ** 2) + model.weight_decay * MLP.l2(model.weights)


rng = np.random.default_rng(635)
X = rng.standard_normal((40, 3))
y = np.tanh(X[:, 0] - X[:, 1]) + 0.3 * X[:, 2] ** 2
model = MLP.init(MLPConfig(), rng)

f = loss
ARGS = (model, X, y)
