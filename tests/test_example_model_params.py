"""examples/model_params.py: a params dict with a list of layers, a trainer class, mini-batch SGD."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples"))


def test_trains_to_full_accuracy_and_the_gradient_has_the_params_structure(capsys):
    import model_params
    params, losses, acc = model_params.main(["--epochs", "30"])
    out = capsys.readouterr().out
    assert acc >= 0.97 and losses[-1] < 0.1 * losses[0]
    assert "layers_0_0 = params['layers'][0][0]" in out
    p, X, onehot = model_params.example_args()
    (value, logits), g = model_params.loss.value_and_grad(p, X, onehot)
    assert isinstance(g["layers"], list) and len(g["layers"]) == 3 and g["name"] is None
    # against finite differences on one weight matrix
    d = np.random.default_rng(0).standard_normal(p["layers"][1][0].shape)
    eps = 1e-6

    def at(t):
        layers = list(p["layers"])
        layers[1] = (p["layers"][1][0] + t * d, p["layers"][1][1])
        return model_params.loss({**p, "layers": layers}, X, onehot)[0]
    fd = (at(eps) - at(-eps)) / (2 * eps)
    assert abs(np.sum(g["layers"][1][0] * d) - fd) <= 1e-6 * max(1.0, abs(fd))
