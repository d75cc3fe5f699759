"""PyTorch-style modules in numpy: Linear keeps its parameters in a dict and has __call__, Sequential
holds a list of modules and activations; the model object is the differentiated argument."""
import numpy as np

class Linear:
    def __init__(self, n_in, n_out, rng):
        self.params = {"W": rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in),
                       "b": np.zeros(n_out)}

    def __call__(self, x):
        return x @ self.params["W"] + self.params["b"]

class ReLU:
    def __call__(self, x):
        return np.maximum(x, 0.0)

class Tanh:
    def __call__(self, x):
        return np.tanh(x)

class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

def mse_loss(model, X, y):
    pred = model(X)
    return ((pred - y) ** 2).mean()

rng = np.random.default_rng(26)
model = Sequential(Linear(3, 10, rng), ReLU(), Linear(10, 10, rng), Tanh(), Linear(10, 2, rng))
model.layers[0].params["b"] = 0.1 * rng.standard_normal(10)
model.layers[2].params["b"] = 0.1 * rng.standard_normal(10)
f = mse_loss
ARGS = (model, rng.standard_normal((16, 3)), rng.standard_normal((16, 2)))
