"""The numba backend's arguments: a dict, a list of arrays or an object is refused at the user's def
naming the argument (numba said 'non-precise type pyobject' at the generated decorator), and with
fallback=True such a signature runs on the numpy backend with its numbers."""
import warnings

import numpy as np
import pytest

pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba backend's "
                                    "tests are skipped")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.errors import S2SGradError  # noqa: E402


class Layer:
    def __init__(self, W):
        self.W = W


def in_dict(p, x):
    return np.sum(np.tanh(x @ p["W"]) ** 2)


def in_object(layer, x):
    return np.sum(np.tanh(x @ layer.W) ** 2)


def in_list(ws, x):
    return np.sum(np.tanh(x @ ws[0]) ** 2)


rng = np.random.default_rng(9)
W, X = rng.standard_normal((3, 2)), rng.standard_normal((4, 3))


@pytest.mark.parametrize("fn,arg,name,kind", [(in_dict, {"W": W}, "p", "a dict"),
                                              (in_object, Layer(W), "layer", "an object of 'Layer'"),
                                              (in_list, [W], "ws", "a list")])
def test_container_arguments_refused_at_the_def(fn, arg, name, kind):
    with pytest.raises(S2SGradError, match=f"'{name}' is {kind}") as e:
        differentiate(fn, backend="numba").value_and_grad(arg, X)
    assert "test_numba_arguments.py" in str(e.value) and f"def {fn.__name__}(" in str(e.value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v, g = differentiate(fn, backend="numba", fallback=True).value_and_grad(arg, X)
    v0, g0 = differentiate(fn).value_and_grad(arg, X)
    assert v == v0
    leaf = (lambda t: t["W"]) if isinstance(arg, (dict, Layer)) else (lambda t: t[0])
    assert np.array_equal(leaf(g), leaf(g0))
