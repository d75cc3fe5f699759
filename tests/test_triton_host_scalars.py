"""Host code updates a number by rebinding it, never in place.

Found by fuzzing the Triton backend against the numpy backend: the adjoint of `s += f(s)` reads
`grad_t2 = grad_s` and then updates `grad_s +=` twice.  In numpy grad_s is an immutable np.float64,
so grad_t2 keeps its value; on the Triton backend's host it was a 0-d tensor updated in place, and
grad_t2 changed under it (a wrong gradient, silently).  Scalars are now rebound (`g = g + d`).
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def scalar_update(x, s):
    s += (np.cbrt(s) / (1.25 + np.abs(s)))
    a2 = np.cos(np.abs((x * s)))
    return np.sum(np.tanh(a2.sum()))


def scalar_update_loop(x, s):
    for _ in range(2):
        s += (s / (1.5 + np.square(s)))
    return np.sum(np.abs(s) * x)


@pytest.mark.parametrize("fn", [scalar_update, scalar_update_loop], ids=lambda f: f.__name__)
@pytest.mark.parametrize("s", [0.7, np.float64(-1.3)])
def test_scalar_adjoints_are_rebound(fn, s):
    x = np.random.default_rng(0).standard_normal(5)
    v, g = differentiate(fn, wrt=1, backend="triton").value_and_grad(x, s)
    v0, g0 = differentiate(fn, wrt=1).value_and_grad(x, s)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    np.testing.assert_allclose(float(g), float(g0), rtol=1e-12)
    eps = 1e-6  # and the numpy backend against central differences
    fd = (float(fn(x, s + eps)) - float(fn(x, s - eps))) / (2 * eps)
    np.testing.assert_allclose(float(g0), fd, rtol=1e-6, atol=1e-9)


def test_the_host_code_rebinds():
    f = differentiate(scalar_update, wrt=1, backend="triton")
    f.value_and_grad(np.ones(5), 0.7)
    host = f.kernels_source.split("# host code")[1]
    assert "grad_s += " not in host and "grad_s = grad_s + " in host


def element_update(x, W, s):
    a2 = x.copy()
    a2[0] += s - (s + s)
    return np.sum(np.outer(W, a2))


def update_in_a_loop_with_return(x, W, s):
    a2 = 0
    while a2 < 3:
        s += np.tanh(s) + s
        return np.sum(s * W)


def rebound_in_a_branch(x, W, s):
    a1 = s
    if x[0] > 0.5:
        W = W[:, 0]
    return np.sum(np.where(W > 0.5, np.outer(a1, x), s + a1))


@pytest.mark.parametrize("fn", [element_update, update_in_a_loop_with_return, rebound_in_a_branch],
                         ids=lambda f: f.__name__)
def test_names_of_unknown_shape_are_rebound_too(fn):
    """The fuzz's second round (14 of its 16 wrong gradients): `grad_t2 = np.copy(grad_a2[0])` of an
    array whose shape the host could not know was not taken for a number, so `grad_s += ...` ran
    in place on the 0-d tensor grad_s shared with grad_t2 (x's gradient -1.73 where it is 1.73).
    Only names known to be arrays of rank >= 1 are updated in place now."""
    rng = np.random.default_rng(0)
    x, W = rng.uniform(-1, 1, 33), rng.uniform(-1, 1, (3, 33))
    x[0] = 0.1  # (rebound_in_a_branch: W's rebinding only makes its shape unknown; taken, numpy fails)
    v, g = differentiate(fn, wrt=(0, 1, 2), backend="triton").value_and_grad(x, W, 0.3)
    v0, g0 = differentiate(fn, wrt=(0, 1, 2)).value_and_grad(x, W, 0.3)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12, atol=1e-13)
