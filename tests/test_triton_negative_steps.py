"""Slices with negative steps on the Triton backend (torch's slices take positive steps only):
host code reads and writes them through steps.py's positive slice and a flip.  Each program agrees
with the numpy backend in float64; the index arithmetic agrees with numpy's on random slices."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.errors import UnsupportedSyntaxError  # noqa: E402
from s2sgrad.triton.steps import positive_index  # noqa: E402
from s2sgrad.triton.torchnp import TorchNumpy  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

bounds = st.one_of(st.none(), st.integers(-7, 7))
slices = st.builds(slice, bounds, bounds, st.one_of(st.none(), st.integers(-3, 3).filter(bool)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=3), st.data())
def test_positive_index_reads_numpy_slices(shape, data):
    x = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
    index = []
    for n in shape:
        index.append(data.draw(st.one_of(slices, st.integers(-n, n - 1)) if n else slices))
    if data.draw(st.booleans()):
        index.insert(data.draw(st.integers(0, len(index))), None)
    index = tuple(index)
    pos, flips = positive_index(index, x.shape)
    assert all(not isinstance(i, slice) or i.step is None or i.step > 0 for i in pos)
    np.testing.assert_array_equal(np.flip(x[pos], flips) if flips else x[pos], x[index])
    t = torch.as_tensor(x)
    np.testing.assert_array_equal(TorchNumpy().getitem(t, index).numpy(), x[index])
    v = np.arange(x[index].size, dtype=float).reshape(x[index].shape) + 100
    written, expected = t.clone(), x.copy()
    TorchNumpy().setitem(written, index, torch.as_tensor(v))
    expected[index] = v
    np.testing.assert_array_equal(written.numpy(), expected)
    TorchNumpy().setitem(written, index, torch.as_tensor(v), "add")
    expected[index] += v
    np.testing.assert_array_equal(written.numpy(), expected)


def test_a_broadcast_row_written_into_reversed_rows_and_columns():
    x = torch.zeros((3, 4), dtype=torch.float64)
    TorchNumpy().setitem(x, (slice(None, None, -1), slice(None, None, -2)), torch.tensor([1.0, 2.0]))
    expected = np.zeros((3, 4))
    expected[::-1, ::-2] = [1.0, 2.0]
    np.testing.assert_array_equal(x.numpy(), expected)


def reversed_products(x, W):
    y = x[::-1] * x
    z = W[:, ::-2]
    out = np.zeros(4)
    out[::-1] = np.tanh(x)
    return np.sum(y ** 2) + np.sum(z * z) + np.sum(out * x)


def run_time_bounds(x, W):
    n = x.shape[0]
    acc = 0.0
    for k in range(1, n):
        acc = acc + np.sum(np.sin(x[n - 1:k - 1:-k])) * np.sum(W[k - 1, ::-1][:n - k + 1:k] ** 2)
    return acc + np.sum(W[::-1, 1:3] ** 2)


def reversed_time(xs, W):
    h = np.zeros(3)
    hs = np.zeros_like(xs)
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
        hs[t] = h
    back = hs[::-1]  # the sequence read backwards, as a bidirectional layer does
    g = back[:, ::-1] * xs
    return np.sum(g ** 2) + np.sum(back[-2:0:-1] * xs[1:-1])


def updates_in_place(x, W):
    a = W * 1.5
    a[::-1, :] += np.tanh(W)
    a[1, ::-1] = x[:4] * 2.0
    b = a[..., ::-1]
    return np.sum(b * np.cos(a)) + np.sum(a[None, ::-1, 0] ** 3)


@pytest.mark.parametrize("fn, shapes", [
    (reversed_products, ((4,), (3, 4))),
    (run_time_bounds, ((5,), (4, 5))),
    (reversed_time, ((6, 3), (3, 3))),
    (updates_in_place, ((4,), (3, 4))),
], ids=lambda v: getattr(v, "__name__", ""))
def test_triton_agrees_with_numpy_on_negative_steps(fn, shapes):
    rng = np.random.default_rng(3)
    args = [rng.standard_normal(s) for s in shapes]
    v, g = differentiate(fn, wrt=(0, 1), backend="triton").value_and_grad(*args)
    v0, g0 = differentiate(fn, wrt=(0, 1)).value_and_grad(*args)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(np.asarray(a), b, rtol=1e-12, atol=1e-12)


def step_at_run_time(x, k):
    return np.sum(np.exp(x[::k]) * x[::-k])


def test_a_step_known_only_at_run_time():
    x = np.linspace(-1.0, 1.0, 7)
    for k in (2, -1, -3):
        v, g = differentiate(step_at_run_time, wrt=0, backend="triton").value_and_grad(x, k)
        v0, g0 = differentiate(step_at_run_time, wrt=0).value_and_grad(x, k)
        np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
        np.testing.assert_allclose(np.asarray(g), g0, rtol=1e-12, atol=1e-12)


def beside_an_array_index(W, rows):
    return np.sum(W[rows, ::-1] ** 2)


def test_a_negative_step_beside_an_array_index_is_refused_at_the_line():
    W, rows = np.ones((3, 4)), np.array([0, 2])
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(beside_an_array_index, wrt=0, backend="triton").value_and_grad(W, rows)
    msg = str(e.value)
    assert "test_triton_negative_steps.py" in msg and "'rows'" in msg and "x[::-1][idx]" in msg
    assert "W[rows, ::-1]" in msg


def reversed_reads_in_bounds(x):
    n = len(x[::-2])
    return np.sum(x[:n] ** 2) + np.sum(x[:x[::-1].shape[0] - 2] ** 3)


def test_a_negative_step_inside_a_slice_bound():
    """(raised torch's raw 'step must be greater than zero' from the adjoint's write
    grad_x[:len(x[::-2])] = ..., whose index holds the reversed read)"""
    x = np.linspace(-1.0, 1.0, 7)
    v, g = differentiate(reversed_reads_in_bounds, wrt=0, backend="triton").value_and_grad(x)
    v0, g0 = differentiate(reversed_reads_in_bounds, wrt=0).value_and_grad(x)
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(g), g0, rtol=1e-12, atol=1e-12)
