"""Programs that crashed inside the Triton backend (raw tracebacks from the kernels, the launchers
or the torch host code) where the numpy backend runs them; each now runs and agrees with numpy in
float64, or is refused with a clear error."""
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402

from triton_cases import MORE_BINARY  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def _module(tmp_path, name, source):
    import importlib.util
    path = tmp_path / f"{name}.py"
    path.write_text("import numpy as np\n\n" + source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def agree(fn, *args, wrt=None, rtol=1e-12):
    wrt = wrt if wrt is not None else tuple(range(len(args)))
    v, g = differentiate(fn, wrt=wrt, backend="triton").value_and_grad(*args)
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*args)
    np.testing.assert_allclose(float(v), float(v0), rtol=rtol)
    for a, b in zip(g if isinstance(g, tuple) else (g,), g0 if isinstance(g0, tuple) else (g0,)):
        assert np.asarray(a).dtype == np.asarray(b).dtype, (np.asarray(a).dtype, np.asarray(b).dtype)
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=rtol, atol=rtol)


def test_kernel_functions_take_a_python_number_on_either_side(tmp_path):
    """np.hypot(W, 0.5) crashed the interpreter (`bool | tensor` in the helper)."""
    src = "".join(f"def r_{n}(W):\n    return np.sum(np.{n}(W, 0.5) * W)\n\n\n"
                  f"def l_{n}(W):\n    return np.sum(np.{n}(0.5, W) * W)\n\n\n" for n in MORE_BINARY)
    mod = _module(tmp_path, "binary_literals", src)
    W = np.random.default_rng(0).uniform(-1, 1, (3, 40))
    for n in MORE_BINARY:
        for side in "rl":
            agree(getattr(mod, f"{side}_{n}"), W)


def test_fmax_with_a_number_first_is_fmax():
    """np.fmax(0.5, W) swapped its operands to put the tensor first and flipped the comparison:
    the kernel computed fmin (a wrong value, 37.2 where numpy gives 13.7)."""
    W = np.random.default_rng(0).uniform(-1, 1, (3, 40))
    agree(fmax_number_first, W)
    agree(fmin_number_first, W)


def fmax_number_first(W):
    return np.sum(np.fmax(0.5, W) * W)


def fmin_number_first(W):
    return np.sum(np.fmin(0.5, W) * W)


def literal_power(W):
    return np.sum((2.0 ** W) * W)


def test_a_call_on_numbers_alone_has_numpy_s_value():
    """2.0 ** W's gradient has np.log(2.0): in a kernel tl.log(2.0) is float32 math (3.8e-9 off
    in float64); it is now computed when the kernel is written, as numpy computes it."""
    W = np.random.default_rng(0).uniform(-1, 1, (3, 40))
    agree(literal_power, W, rtol=1e-14)


def rebound_to_row_sum(x, W):
    x = np.sum(np.tanh(W), axis=1)
    return np.sum(x * x)


def stack_of_numbers(W, s):
    a = np.stack([s, s * 2.0])
    return np.sum(a * np.sum(W)) + np.sum(W * W)


def transpose_of_a_number(W, s):
    a = np.sum(W * W)
    return a.T * s


def mixed_outer(v, u):
    return np.sum(np.outer(u, v) * 2.0)


def test_host_code_crashes_from_the_fuzz():
    """A parameter rebound to a row sum of another shape (the launcher read its shape as None),
    np.stack of host numbers (torch.stack wants tensors), .T of a 0-d value (permute() with no
    axes), np.outer of float32 and float64 vectors (its adjoint's products mixed dtypes)."""
    rng = np.random.default_rng(0)
    x, W, u = rng.uniform(-1, 1, 40), rng.uniform(-1, 1, (3, 40)), rng.uniform(-1, 1, 3)
    agree(rebound_to_row_sum, x, W, wrt=(1,))
    agree(stack_of_numbers, W, 0.5)
    agree(transpose_of_a_number, W, 0.5)
    v, (gv, gu) = differentiate(mixed_outer, wrt=(0, 1), backend="triton").value_and_grad(x.astype(np.float32), u)
    w, (wv, wu) = differentiate(mixed_outer, wrt=(0, 1)).value_and_grad(x.astype(np.float32), u)
    np.testing.assert_allclose(float(v), float(w), rtol=1e-6)
    assert gv.dtype == wv.dtype == np.float32
    np.testing.assert_allclose(gv, wv, rtol=1e-6)
    np.testing.assert_allclose(gu, wu, rtol=1e-6)


def nested_mixed_product(X, W):
    return np.sum(np.tanh(X @ W.T))


def transposed_mixed_product(X, W):
    return np.sum(np.transpose(X @ W) ** 2)


def int_by_float_product(A, W):
    return np.sum(np.tanh(A @ W))


def dot_and_outer_with_a_number(v, s):
    return np.sum(np.dot(v, 2.0) * v) + np.sum(np.outer(v, 2.0) * s)


def concatenate_a_literal_list(v):
    return np.sum(np.concatenate([v, [1.0, 2.0]]) ** 2)


def elementwise_equal_to_the_max(W):
    return np.sum(np.where(np.equal(W, np.max(W, axis=1, keepdims=True)), W, 0.0))


def clip_by_an_array_and_a_number(W, lo):
    return np.sum(np.clip(W, lo, 0.5) * W)


def stack_int_and_float32(v, W):
    return np.sum(np.stack([v, np.arange(40)]) * W)


def launch(launch, W):
    launch = np.tanh(W) * launch
    return np.sum(launch * launch)


def test_products_and_host_functions_from_a_review():
    """Products of mixed dtypes nested in other calls (torch's 'expected m1 and m2 to have the same
    dtype'), an int matrix times a float one, np.dot/np.outer with a number, a literal list in
    np.concatenate (the numpy backend's own ZeroDivisionError), np.equal (torch.equal is one bool),
    np.clip with one array bound, int with float32 stacked (float64 in numpy, float32 in torch),
    a name rebound to another shape whose new name was a launcher's (`launch_3`)."""
    rng = np.random.default_rng(0)
    X32, W64 = rng.uniform(-1, 1, (5, 40)).astype(np.float32), rng.uniform(-1, 1, (3, 40))
    v32 = rng.uniform(-1, 1, 40).astype(np.float32)
    agree(nested_mixed_product, X32, W64, rtol=1e-6)
    agree(transposed_mixed_product, X32, W64.T.copy(), rtol=1e-6)
    agree(int_by_float_product, rng.integers(0, 3, (5, 40)), W64.T.copy(), wrt=(1,))
    agree(dot_and_outer_with_a_number, rng.uniform(-1, 1, 40), 0.5)
    agree(dot_and_outer_with_a_number, v32, 0.5, rtol=1e-6)
    agree(concatenate_a_literal_list, rng.uniform(-1, 1, 40))
    agree(elementwise_equal_to_the_max, W64)
    agree(clip_by_an_array_and_a_number, W64, rng.uniform(-1, 0, (3, 40)))
    agree(stack_int_and_float32, v32, W64[:2].copy(), rtol=1e-13)  # float64 throughout, as numpy
    agree(launch, rng.uniform(-1, 1, 40), W64)


def loop_then_rebound(x, W, s):
    a1 = np.zeros(33)
    a1[0] = np.square(s) + s
    for j0 in range(1, 33):
        a1[j0] = a1[j0 - 1] * np.exp(np.clip(np.mean(W[:, 0]) / (1.5 + np.square(s)), -3.0, 3.0)) + x[j0]
    s = np.sum(W, axis=1) + s
    return np.sum(np.stack([x, (x - np.sum(W)) / (1.5 + np.square(np.tanh(a1)))]))


def mean_over_a_rebound_vector(x, W, s):
    W = np.sqrt(np.square(np.exp(np.clip(np.tanh(W[:, 0]), -3.0, 3.0))) + 1.0)
    a1 = x.copy()
    a1[1] += np.linalg.norm((s - W) + W / (1.5 + np.square(W)))
    return np.sum(np.exp(np.clip(np.square(W), -3.0, 3.0)).mean(axis=0))


def dot_of_a_number_and_a_matrix(x, W, s):
    W = x if s > -0.9 else x
    a1 = np.abs(np.cos(W))
    return np.sum(np.square(np.dot((W - 0.5 * W) @ a1, np.stack([W, x, a1]) - np.abs(W))))


def test_host_numpy_results_meeting_tensors():
    """The fuzz's second round: np.zeros_like of a Python number (a numpy 0-d array + a tensor
    raised numpy's 'Concatenation operation is not implemented'), np.expand_dims of the seed
    ('unsupported operand ndarray * Tensor'), np.dot of a 0-d product and a matrix (torch's matmul
    of a 0-d tensor).  numpy's arrays on the host are tensors now; numpy's dot with a 0-d operand
    is a product."""
    rng = np.random.default_rng(0)
    x, W = rng.uniform(-1, 1, 33), rng.uniform(-1, 1, (3, 33))
    agree(loop_then_rebound, x, W, 0.3, rtol=1e-11)
    agree(mean_over_a_rebound_vector, x, W, 0.3)
    agree(dot_of_a_number_and_a_matrix, x, W, 0.3)


def write_into_array_copy(x, s):
    y = np.array(x)
    y[0] = s
    return np.sum(x * y)


def add_into_astype_copy(x, s):
    y = x.astype(np.float64)
    y[1] += s
    return np.sum(x * y)


def write_into_flattened(x, s):
    y = x.flatten()
    y[0] = s
    return np.sum(x * y)


def tril_of_a_vector(x, s):
    y = np.tril(x)
    return np.sum(y * y) * s


def test_copies_on_the_host_are_copies():
    """A review: np.array(x), x.astype(same dtype) and x.flatten() gave back x's own storage on the
    host, so a write into the copy changed x -- the caller's array too -- (value 13.74 where numpy
    gives 14.3, d/ds 0.7 for 1.5); np.tril of a vector crashed in torch.tril."""
    for fn in (write_into_array_copy, add_into_astype_copy, write_into_flattened, tril_of_a_vector):
        x = np.array([1.5, -2.0, 3.0, 0.5])
        agree(fn, x, 0.7)
        np.testing.assert_array_equal(x, [1.5, -2.0, 3.0, 0.5])


def stacked_list(W, x):
    hs = []
    h = x
    for t in range(3):
        h = np.tanh(W @ h)
        hs.append(h)
    return np.sum(np.stack(hs) ** 2)


def test_a_host_helper_without_a_torch_twin_is_refused_at_the_line():
    """(the refusal named no place: a review found it)"""
    from s2sgrad.errors import UnsupportedSyntaxError
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(stacked_list, wrt=(0, 1), backend="triton").value_and_grad(np.eye(3) * 0.5, np.ones(3))
    assert "test_triton_crash_regressions.py:" in str(e.value) and "np.stack(hs)" in str(e.value), str(e.value)


# ---- a cross-check of the two backends: five crashes in the host code, and their kin
def reversed_range(x):
    s = 0.0
    for t in reversed(range(3)):
        s = s + x[t] * (t + 1)
    return s * s


def reversed_list_enumerated(x):
    s = 0.0
    for i, c in enumerate(reversed([1.0, 2.0, 3.0])):
        s = s * x[i] + c
    return s * s


def eye_as_a_mask(x):
    m = np.eye(x.shape[0], x.shape[1], dtype=bool)
    return np.sum(np.where(m, 0.0, x) ** 2)


def constructors_with_dtypes(x):
    a = np.eye(3, k=1) + np.full((3, 3), 2) + np.zeros_like(x, dtype=int) + np.linspace(0.0, 1.0, 3, endpoint=False)
    return np.sum((x * a) ** 2) + np.sum(x * np.arange(3, 0, -1, dtype=np.float64))


def test_reversed_ranges_and_constructors_with_their_numpy_arguments():
    """reversed(range(3)) is range(3)[::-1] in generated code, and the host's np.getitem gave the
    range a tuple index (TypeError); np.eye(n, m, dtype=bool) ('multiple values for dtype');
    np.zeros_like(x, dtype=int) (no dtype); np.full((3, 3), 2) made float64, numpy int64."""
    x = np.arange(9.0).reshape(3, 3)
    agree(reversed_range, np.array([1.0, 2.0, 3.0]))
    agree(reversed_list_enumerated, np.array([1.0, 2.0, 3.0]))
    agree(eye_as_a_mask, x)
    agree(constructors_with_dtypes, x)


def standard_normal_noise(x):
    eps = np.random.standard_normal(x.shape)
    return np.sum((x + eps) ** 2)


def several_draws(x):
    a = np.random.randn(3) + np.random.rand(*x.shape) + np.random.uniform(-1, 1, size=x.shape)
    return np.sum((x * a + np.random.normal(0.0, 2.0, x.shape)) ** 2) * np.random.rand()


def test_random_draws_are_numpy_s_global_generator_s():
    """np.random.<draw> on the host was torch.random's wrapper ('function' object has no attribute
    'standard_normal'); the draws are numpy's own, the numpy backend's numbers under np.random.seed."""
    x = np.array([1.0, 2.0, 3.0])
    for fn in (standard_normal_noise, several_draws):
        np.random.seed(0)
        v, g = differentiate(fn, backend="triton").value_and_grad(x)
        np.random.seed(0)
        v0, g0 = differentiate(fn).value_and_grad(x)
        np.testing.assert_allclose(v, v0, rtol=1e-12)
        np.testing.assert_allclose(g, g0, rtol=1e-12)


G = np.arange(6.0).reshape(3, 2)
mm = np.array([0.5, -1.0])
G_U8 = np.array([1, 2], dtype=np.uint8)


def reads_a_global(w):
    return np.sum((G @ w) ** 2)


def reads_a_global_named_like_a_runtime_helper(w):
    return np.sum((G @ (w * mm)) ** 2)


def reads_a_uint8_global(w):
    return np.sum((w * G_U8) ** 2)


def closure_over(X):
    def loss(w):
        return np.sum((X @ w) ** 2)
    return loss


def helper(x, g=np.array([0.0, -9.8])):
    return x + g


def default_argument(x):
    return np.sum(helper(x) ** 2)


def test_arrays_read_from_globals_closures_and_defaults():
    """The host module had no `captured` namespace: NameError for a module-level array, a closure's
    array and a helper's default (`helper_g_default`); now bound as tensors before each call."""
    w = np.array([1.0, -1.0])
    agree(reads_a_global, w)
    agree(reads_a_global_named_like_a_runtime_helper, w)  # `mm` is a runtime import of the host module
    agree(reads_a_global, w.astype(np.float32), rtol=1e-6)
    agree(default_argument, np.array([1.0, 2.0]))
    # two closures of one text share a host module: each call binds its own array
    f1, f2 = closure_over(np.arange(6.0).reshape(3, 2)), closure_over(-np.ones((3, 2)))
    for _ in range(2):
        agree(f1, w)
        agree(f2, np.array([0.5, 2.0]))


def test_a_global_array_is_read_as_it_is_at_the_call():
    """numpy reads a global written in place since the last call; so does the host program."""
    f = differentiate(reads_a_global, backend="triton")
    w = np.array([1.0, -1.0])
    saved = G.copy()
    try:
        f.value_and_grad(w)
        G[0, 0] = 10.0
        v, g = f.value_and_grad(w)
        v0, g0 = differentiate(reads_a_global).value_and_grad(w)
        np.testing.assert_allclose([v, *g], [v0, *g0], rtol=1e-12)
    finally:
        G[...] = saved


def test_a_global_array_of_an_unread_dtype_is_refused_at_its_line():
    from s2sgrad.errors import UnsupportedSyntaxError
    with pytest.raises(UnsupportedSyntaxError, match="'G_U8'.*uint8 array") as e:
        differentiate(reads_a_uint8_global, backend="triton").value_and_grad(np.array([1.0, -1.0]))
    assert "test_triton_crash_regressions.py:" in str(e.value), str(e.value)


def test_cuda_graphs_refuse_a_captured_array(monkeypatch):
    from s2sgrad.triton import graphs
    from s2sgrad.errors import S2SGradError
    monkeypatch.setattr(runtime.OPTIONS, "cuda_graphs", True)
    monkeypatch.setitem(graphs.CAPTURE, "cls", graphs.RerunCapture)
    with pytest.raises(S2SGradError, match="reads the array 'G'.*cuda_graphs = False"):
        differentiate(reads_a_global, backend="triton").value_and_grad(np.array([1.0, -1.0]))
