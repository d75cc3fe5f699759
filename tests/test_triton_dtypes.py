"""Triton backend: the host code computes in the program's float type, as numpy would.

A Python number times a comparison's mask (`grad_out * (h > 0.0)`: the adjoint of np.maximum and of
every piecewise function) is float64 in numpy and torch's default dtype, float32, in torch: a
float64 program's gradient lost precision there (2.5e-8 relative error) or failed at a product of a
float32 and a float64 matrix.  Found by a review."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402


def relu_and_mean(A):
    h = np.tanh(A)
    return np.sum(np.maximum(h, 0.0)) + np.mean(h)


def product_then_masks(A, B):
    h = A @ B
    return np.sum(h * h) + np.sum(np.maximum(h, 0.0)) + np.mean(h)


@pytest.mark.parametrize("fn,wrt", [(relu_and_mean, "A"), (product_then_masks, ("A", "B"))])
@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_masks_times_numbers_keep_the_programs_precision(fn, wrt, dtype, tol):
    rng = np.random.default_rng(0)
    args = [rng.standard_normal((21, 21)) for _ in range(2 if fn is product_then_masks else 1)]
    v, g = differentiate(fn, wrt=wrt, backend="triton").value_and_grad(*[a.astype(dtype) for a in args])
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*args)
    g, g0 = (g, g0) if isinstance(g0, tuple) else ((g,), (g0,))
    np.testing.assert_allclose(v, v0, rtol=tol)
    for a, b in zip(g, g0):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.abs(b).max())
    assert torch.get_default_dtype() == torch.float32  # (set for the host code only, then restored)


def test_grad_after_value_and_grad_runs_the_triton_kernels():
    """f.grad's per-call fast path read the cache of numpy code the Triton backend compiles from:
    after a value_and_grad, grad ran numpy (right numbers, wrong backend).  Found by a review."""
    from s2sgrad.triton import runtime
    A = np.random.default_rng(1).standard_normal((4, 3))
    f = differentiate(relu_and_mean, backend="triton")
    f.value_and_grad(A)
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        g = f.grad(A)
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    assert launches
    np.testing.assert_allclose(g, differentiate(relu_and_mean).grad(A), rtol=1e-12)


def mixed_product(A, B):
    return np.sum(np.tanh(A @ B))


@pytest.mark.parametrize("shape_b", [(3, 2), (3,)])
def test_a_product_of_two_float_dtypes_is_promoted_as_numpy_does(shape_b):
    """numpy promotes float32 @ float64 to float64; torch.matmul and tl.dot take one dtype and raised
    their own errors from inside the backend (found by a review; then refused, now cast first)."""
    rng = np.random.default_rng(0)
    A = rng.uniform(-1, 1, (4, 3)).astype(np.float32)
    B = rng.uniform(-1, 1, shape_b)
    v, (gA, gB) = differentiate(mixed_product, wrt=("A", "B"), backend="triton").value_and_grad(A, B)
    w, (wA, wB) = differentiate(mixed_product, wrt=("A", "B")).value_and_grad(A, B)
    np.testing.assert_allclose(float(v), float(w), rtol=1e-12)
    assert gA.dtype == np.float32 and gB.dtype == np.float64
    np.testing.assert_allclose(gA, wA, rtol=1e-6)
    np.testing.assert_allclose(gB, wB, rtol=1e-12)
