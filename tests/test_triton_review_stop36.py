"""The Triton backend's host code runs on torch tensors, where `a[3]` is a view of one element; in
numpy it is a copy.  An element swap `a[0], a[3] = a[3], a[0]` wrote the new a[0] back into a[3]
(9.1 came out 12.1; a bubble sort's value and gradient both wrong): an element read of an array the
function writes into is now copied in host code (triton/host.host_block)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

X = np.array([0.5, -1.2, 0.8, 1.5, -0.7, 2.0])


def swapped(x):
    a = x.copy()
    a[0], a[3] = a[3], a[0]
    return np.sum(a * np.arange(a.size))


def bubble(x):
    a = x.copy()
    n = a.size
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
    return np.sum(a * np.arange(1.0, n + 1) ** 2)


@pytest.mark.parametrize("fn", [swapped, bubble])
def test_element_swaps_on_the_triton_backend(fn):
    want_v, want_g = differentiate(fn).value_and_grad(X)
    v, g = differentiate(fn, backend="triton").value_and_grad(X)
    assert v == pytest.approx(fn(X), rel=1e-13) and v == pytest.approx(want_v, rel=1e-13)
    np.testing.assert_allclose(g, want_g, rtol=1e-13)
