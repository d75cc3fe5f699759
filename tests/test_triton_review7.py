"""The Triton backend against the numpy backend on what a cross-backend review of the real-program
corpus found (CPU interpreter): np.add.at in host code with an integer array beside a slice, an int
or an Ellipsis (a repeated position got one contribution; or a bare torch error), a Python float
with an integer array in host code's binary functions (cast to the integer dtype: mod(k, 2.5) as
mod(k, 2)), and an object argument, whose arrays never became tensors (a bare TypeError)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.errors import S2SGradError  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

V = np.arange(1.0, 13.0).reshape(3, 4) / 7.0
J = np.array([1, 3, 1, 1])


def column_pick(V, j):
    return np.sum(V[:, j] ** 2)


def row_pick(V, j):
    return np.sum(V[j] ** 2)


def one_row_pick(V, j):
    return np.sum(V[0, j] ** 2)


def ellipsis_pick(V, j):
    return np.sum(V[..., j] ** 2)


def with_floats(x, k):
    return np.sum(np.mod(k, 2.5) * x) + np.sum(np.arctan2(k, 0.5) * x) + np.sum(np.fmod(k, 1.5) * x ** 2)


def _agree(fn, *args):
    v, g = differentiate(fn, wrt=0, backend="triton").value_and_grad(*args)
    v0, g0 = differentiate(fn, wrt=0).value_and_grad(*args)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(g), g0, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fn,j", [(column_pick, J), (row_pick, np.array([2, 0, 2])), (one_row_pick, J),
                                  (ellipsis_pick, J)])
def test_integer_array_reads_beside_slices_ints_and_ellipsis(fn, j):
    _agree(fn, V, j)


def test_a_python_float_with_an_integer_array():
    _agree(with_floats, np.linspace(0.1, 1.0, 4), np.array([0, 1, 2, 3]))


class Model:
    def __init__(self, w):
        self.w = w


def on_object(x, m):
    return np.sum(x * m.w)


def test_an_object_argument_is_refused():
    with pytest.raises(S2SGradError, match="backend='triton' takes arrays, tensors, numbers and dicts"):
        differentiate(on_object, wrt=0, backend="triton").grad(np.ones(3), Model(np.arange(3.0)))
