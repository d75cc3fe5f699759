"""Program variable names against the names generated Triton code uses itself.

A review tried program variables named like the kernels' own variables (`mask`, `row_ok`, `i`), like
names they derive from others (`m_acc`, `s_lanes`, `labels_col`), like a renamed one (`mask` and
`mask_`), like a launcher's output buffers (`grad_x_out`) and locals (`K`, `grid`, `BLOCK`), and like
the host module's globals.  Silent wrong results came out of several; now every such program either
agrees with the numpy backend or is refused with an S2SGradError naming the variable.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.errors import S2SGradError  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


@pytest.fixture
def gpu_blocks(monkeypatch):
    monkeypatch.setattr(runtime, "INTERPRET", False)  # 1024 columns a block, as on a GPU


def renamed_and_own(x):
    mask_ = x * 2.0  # `mask` is the kernel's: the program's `mask` becomes `mask_`, this one `mask__`
    mask = x + 1.0
    a = np.tanh(x)
    a_ = a * a
    v_1_ = x - 0.5
    return np.sum(mask_ * mask + a_ + a + v_1_)


def outputs_named_like_buffers(x, grad_x_out):
    a = np.exp(x) * grad_x_out  # the launcher's output buffer for grad_x is `grad_x_out`
    return np.sum(a + np.tanh(grad_x_out))


def launcher_locals(x, K, grid):
    BLOCK = x * K  # launcher locals and the kernel's block sizes
    return np.sum(np.tanh(BLOCK) * grid)


def adjoint_of_out(x):
    out = np.tanh(x)
    out_ = out * x  # the seed grad_out and the adjoint of out_ must stay two names
    return np.sum(out_ * out + out)


def xent_renamed(logits, labels):
    cols = logits - logits.max(axis=1, keepdims=True)  # `cols` is the rows kernel's: renamed `cols_`
    cols_ = cols * 0.5
    lp = cols - np.log(np.exp(cols).sum(axis=1, keepdims=True))
    return -np.mean(lp[np.arange(logits.shape[0]), labels]) + 0.1 * np.mean(cols_ * cols_)


CASES = [(renamed_and_own, lambda r: (r.standard_normal((37, 1500)),)),
         (renamed_and_own, lambda r: (r.standard_normal(3000),)),
         (outputs_named_like_buffers, lambda r: (r.standard_normal((37, 1500)), r.standard_normal((37, 1500)))),
         (launcher_locals, lambda r: (r.standard_normal((5, 300)), 1.5, 0.25)),
         (adjoint_of_out, lambda r: (r.standard_normal((8, 50)).astype(np.float32),)),
         (xent_renamed, lambda r: (r.standard_normal((37, 2100)), r.integers(0, 2100, 37)))]


@pytest.mark.parametrize("fn,make", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_names_like_generated_ones_keep_numpy_values(gpu_blocks, fn, make):
    args = make(np.random.default_rng(0))
    v, g = differentiate(fn, wrt=0, backend="triton").value_and_grad(*args)
    v0, g0 = differentiate(fn, wrt=0).value_and_grad(*args)
    rtol = 1e-4 if args[0].dtype == np.float32 else 1e-10
    np.testing.assert_allclose(np.float64(v), v0, rtol=rtol)
    np.testing.assert_allclose(np.asarray(g, np.float64), g0, rtol=rtol, atol=rtol * np.abs(g0).max())


def uses_partials(x):
    partials = x * 2.0
    return np.sum(partials)


def uses_torch(x, torch):
    return np.sum(x * torch)


def rnn_named_add_outer(W, xs, add_outer):
    h = add_outer
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h)


@pytest.mark.parametrize("fn,args,name", [
    (uses_partials, (np.ones((3, 4)),), "partials"),
    (uses_torch, (np.ones((3, 4)), 2.0), "torch"),
    (rnn_named_add_outer, (np.eye(3) * 0.5, np.ones((4, 3)), np.ones(3)), "add_outer")])
def test_names_of_the_host_module_are_refused_clearly(fn, args, name):
    with pytest.raises(S2SGradError, match=f"name '{name}' is one the generated host code or kernels use"):
        differentiate(fn, wrt=0, backend="triton").value_and_grad(*args)


def pick_squared(x, labels):
    return np.sum(x[np.arange(x.shape[0]), labels] ** 2)


@pytest.mark.parametrize("N", [7, 2100])
def test_a_one_row_scatter_loads_its_labels_per_row(gpu_blocks, N):
    """M = 1: the flat kernel's one-row shortcut (a number as the row index) is not taken where
    labels are loaded per row (their loads would not be blocks)."""
    rng = np.random.default_rng(N)
    x, labels = rng.standard_normal((1, N)), np.array([-2])
    v, g = differentiate(pick_squared, wrt=0, backend="triton").value_and_grad(x, labels)
    v0, g0 = differentiate(pick_squared, wrt=0).value_and_grad(x, labels)
    np.testing.assert_allclose(float(v), v0, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(g), g0, rtol=1e-12)


def test_a_host_gather_checks_its_labels_first():
    """The adjoint's host gather `x[np.arange(M), labels]` raises LabelIndexError (numpy's
    IndexError) before torch indexes: on a GPU torch would stop the device with an assert."""
    from s2sgrad.triton.gather import LabelIndexError
    x, labels = np.random.default_rng(1).standard_normal((4, 30)), np.array([1, 2, -31, 3])
    f = differentiate(pick_squared, wrt=0, backend="triton")
    with pytest.raises(LabelIndexError, match="out of bounds for axis 1 with size 30"):
        f.value_and_grad(x, labels)
    assert "np.gather_rows(x, np.arange(4), labels)" in f.kernels_source
