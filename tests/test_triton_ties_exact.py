"""Kernels computing a tie's operand are compiled without multiply-add contraction (ties.py): the
max of `np.tanh(W) * 2.0 + W * W` and the expression it is compared with are computed in two
places; a compiler that fused one `t * 2.0 + w` into an fma and not the other would move the
argmax mask off the maximum (a silently wrong gradient on a GPU; the interpreter never fuses)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402

from triton_cases import softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def masked_by_its_max(W):
    a = np.tanh(W) * 2.0 + W * W
    m = np.max(np.tanh(W) * 2.0 + W * W, axis=1, keepdims=True)
    return np.sum((a == m) * W * 3.0) + np.sum(m)


def masked_by_the_max_of_a_name(W):
    a = np.tanh(W) * 2.0 + W * W  # computed once, but a rows kernel recomputes it in each loop
    m = np.max(a, axis=1, keepdims=True)
    return np.sum((a == m) * W * 3.0) + np.sum(m)


def _launches(fn, *args):
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(fn, wrt=0, backend="triton")
        g = f.grad(*args)
        return f, g, list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])


@pytest.mark.parametrize("fn", [masked_by_its_max, masked_by_the_max_of_a_name], ids=lambda f: f.__name__)
def test_only_the_kernels_computing_a_tie_operand_are_exact(fn):
    W = np.random.default_rng(0).standard_normal((4, 40)).astype(np.float32)
    f, g, launches = _launches(fn, W)
    np.testing.assert_allclose(np.asarray(g), differentiate(fn).grad(W), rtol=1e-5, atol=1e-5)
    exact = [k.fn.__name__ for k, _, c in launches if c.get("enable_fp_fusion") is False]
    assert exact == [f"k0_{fn.__name__}_value_and_vjp"], launches  # the row kernel computing both
    assert len(launches) > 1  # ... and the adjoint's kernels left alone
    assert f.kernels_source.count("enable_fp_fusion=False") == 1
    logits, labels = np.ones((4, 10), np.float32), np.arange(4) % 10
    f, _, _ = _launches(softmax_xent, logits, labels)
    assert "enable_fp_fusion" not in f.kernels_source  # x == max(x): x is read, not computed twice


def test_the_exact_kernel_has_no_fused_multiply_add_on_sm90(monkeypatch):
    from s2sgrad.triton.gpucheck import compile_logged
    monkeypatch.setattr(runtime, "INTERPRET", False)  # the GPU's block sizes
    W = np.random.default_rng(0).standard_normal((4, 40)).astype(np.float32)
    f, _, launches = _launches(masked_by_its_max, W)
    k0 = [entry for entry in launches if entry[0].fn.__name__.startswith("k0_")]
    fused = [(k, t, {n: v for n, v in c.items() if n != "enable_fp_fusion"}) for k, t, c in k0]
    exact, contracted = compile_logged(f.kernels_source, k0), compile_logged(f.kernels_source, fused)
    assert list(exact.values())[0]["fma"] == 0, exact
    assert list(contracted.values())[0]["fma"] > 0, contracted  # (so the check above can fail)
