"""Triton backend: loops (issue 13's RNN row).  A product of loop-invariant operands indexed by the
loop variable (`U @ xs[t]`) is one product before the loop, and `g += np.outer(a, b)` in the
adjoint loop is one in-place `addr_`.  Values against the numpy backend (float64 1e-12, float32
1e-4); the rewrites are refused where an operand changes in the loop.  Interpreter on the CPU."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def rnn(W, U, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
    return np.sum(h ** 2)


def rnn_right(W, V, xs, h0):  # the row on the left: xs[t] @ V
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t] @ V)
    return np.sum(h ** 2)


def rnn_decaying(W, U, xs, h0):  # U changes every step: nothing to hoist
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
        U = U * 0.9
    return np.sum(h ** 2)


def rnn_written_row(W, U, xs, h0):  # B is updated in place in the loop: nothing to hoist
    B = xs * 1.0
    h = h0
    for t in range(xs.shape[0]):
        B[t] = B[t] * 2.0
        h = np.tanh(W @ h + U @ B[t])
    return np.sum(h ** 2)


def _data(dtype, T=7, H=5, D=3, seed=0):
    rng = np.random.default_rng(seed)
    return tuple(a.astype(dtype) for a in (rng.standard_normal((H, H)) * 0.5, rng.standard_normal((H, D)) * 0.5,
                                           rng.standard_normal((T, D)), rng.standard_normal(H) * 0.1))


def _agrees(fn, args, rtol):
    f = differentiate(fn, wrt=(0, 1), backend="triton")
    v, g = f.value_and_grad(*args)
    v0, g0 = differentiate(fn, wrt=(0, 1)).value_and_grad(*[a.astype(np.float64) for a in args])
    assert np.asarray(v).dtype == args[0].dtype and all(np.asarray(x).dtype == args[0].dtype for x in g)
    np.testing.assert_allclose(np.float64(v), v0, rtol=rtol)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(np.asarray(a, np.float64), b, rtol=rtol, atol=rtol * np.abs(b).max())
    return f


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_rnn_hoists_the_input_product_and_accumulates_in_place(dtype, rtol):
    args = _data(dtype)
    T = args[2].shape[0]
    f = _agrees(rnn, args, rtol)
    host = f.kernels_source.split("# host code")[1]
    assert "hoisted out of the loop: U @ xs[t] for every t" in host, host
    assert "U_xs = launch_" in host.split("for t in range")[0], host  # before the loop
    assert "grad_U = add_outer(grad_U, grad_t1, xs[t])" in host and "np.outer" not in host, host
    runtime.STATS.reset()
    with runtime.count_host_ops() as mode:
        f.value_and_grad(*[torch.from_numpy(a) for a in args])
    runtime.STATS.stop()
    names = [k for k, _, _ in runtime.STATS.launches]
    # one product for U @ xs[t] over all t; per step a tanh kernel forward and a (1 - h²) kernel back
    assert names.count("mm") == 1 and len(names) - 1 == 2 * T + 1, names
    calls = mode.calls
    # per step W @ h forward; grad_t1 @ W and two in-place rank-1 updates back; no outer products
    assert calls.count("matmul") == 2 * T and calls.count("addr_") == 2 * T, calls
    assert "outer" not in calls and "add_" not in calls and len(calls) == 4 * T + 3, calls


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_a_row_on_the_left_is_hoisted_too(dtype, rtol):
    W, U, xs, h0 = _data(dtype)
    f = _agrees(rnn_right, (W, np.ascontiguousarray(U.T), xs, h0), rtol)
    assert "hoisted out of the loop: xs[t] @ V for every t" in f.kernels_source


@pytest.mark.parametrize("fn", [rnn_decaying, rnn_written_row])
def test_nothing_is_hoisted_when_an_operand_changes_in_the_loop(fn):
    f = _agrees(fn, _data(np.float64), 1e-12)
    assert "hoisted" not in f.kernels_source, f.kernels_source


def test_add_outer_falls_back_to_the_statement_it_replaces():
    a, b = torch.arange(3.0, dtype=torch.float64), torch.arange(2.0, dtype=torch.float32)
    g = torch.ones(3, 2, dtype=torch.float64)
    assert runtime.add_outer(g, a, b) is g  # mixed dtypes: torch.outer then an in-place +=
    np.testing.assert_array_equal(g.numpy(), 1 + np.outer(np.arange(3.0), np.arange(2.0)))
    same = torch.ones(3, 2, dtype=torch.float64)
    out = runtime.add_outer(same, a, b.double())
    assert out is same
    np.testing.assert_array_equal(same.numpy(), g.numpy())
    assert runtime.add_outer(0.5, a, b.double()).shape == (3, 2)  # a number: rebound, as `x += ...` does
