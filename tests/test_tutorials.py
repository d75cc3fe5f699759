"""The known numbers of the PyTorch-autograd tutorials this project grew from."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate, stop_gradient


def test_square_plus_constant_at_10_gives_20():
    @differentiate
    def f(x):
        return x ** 2 + 20
    assert f.grad(10.0) == 20.0
    assert f(10.0) == 120.0


def test_mean_of_vector_gives_x_over_2():
    @differentiate
    def f(x):
        return np.mean(x ** 2 + 20)
    np.testing.assert_allclose(f.grad(np.array([10.0, 20.0, 30.0, 40.0])), [5.0, 10.0, 15.0, 20.0])


def test_two_variables():
    @differentiate(wrt=("x1", "x2"))
    def f(x1, x2):
        return x1 ** 2 + x2 ** 2 + x1 * x2
    assert f.grad(10.0, 20.0) == (40.0, 50.0)


def test_two_dot_gives_4x():
    @differentiate
    def f(x):
        return 2 * np.dot(x, x)
    x = np.arange(4.0)
    np.testing.assert_allclose(f.grad(x), 4 * x)


def test_non_scalar_output_with_seed_of_ones_gives_2x():
    @differentiate
    def f(x):
        return x * x
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(f.grad(x, seed=np.ones(3)), 2 * x)
    value, pullback = f.vjp(x)
    np.testing.assert_allclose(value, x * x)
    np.testing.assert_allclose(pullback(np.array([1.0, 0.0, 2.0])), [2.0, 0.0, 12.0])


def test_non_scalar_output_without_seed_is_refused_like_pytorch():
    @differentiate
    def f(x):
        return x * x
    with pytest.raises(s2sgrad.NonScalarOutputError, match="seed"):
        f.grad(np.array([1.0, 2.0]))


def test_detach_makes_a_constant():
    @differentiate
    def f(x):
        u = stop_gradient(x * x)
        return np.sum(u * x)
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(f.grad(x), x * x)


def test_detach_alias_and_no_grad_block():
    @differentiate
    def f(x):
        with s2sgrad.no_grad():
            u = x * x
            w = u + 1
        return np.sum(s2sgrad.detach(x) * x + w * x)
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(f.grad(x), x + x * x + 1)


def test_gradient_descent_known_numbers():
    @differentiate
    def f(x):
        return x ** 2
    x = 10.0
    lr = 0.001
    x = x - lr * f.grad(x)
    assert f"{x:.10f}" == "9.9800000000"
    for _ in range(4999):
        x = x - lr * f.grad(x)
    assert f"{x:.10f}" == "0.0004494759"


def test_linear_regression_learns_3_and_0_8():
    @differentiate(wrt=("w", "b"))
    def loss(w, b, x, y):
        y_hat = w * x + b
        return np.mean((y_hat - y) ** 2)
    x = np.linspace(-1, 1, 50)
    y = 3 * x + 0.8
    w, b = 0.0, 0.0
    for _ in range(3000):
        gw, gb = loss.grad(w, b, x, y)
        w, b = w - 0.1 * gw, b - 0.1 * gb
    assert abs(w - 3) < 1e-6 and abs(b - 0.8) < 1e-6


def two_layer_loss(W1, W2, X, y):
    h = X @ W1
    h_relu = np.maximum(h, 0)
    y_hat = h_relu @ W2
    return np.square(y_hat - y).sum()


def test_two_layer_net_equals_handwritten_backprop():
    rng = np.random.default_rng(0)
    N, D_in, H, D_out = 64, 1000, 100, 10
    X, y = rng.standard_normal((N, D_in)), rng.standard_normal((N, D_out))
    W1, W2 = rng.standard_normal((D_in, H)), rng.standard_normal((H, D_out))
    f = differentiate(two_layer_loss, wrt=("W1", "W2"))
    value, (g1, g2) = f.value_and_grad(W1, W2, X, y)
    h = X.dot(W1)
    h_relu = np.maximum(h, 0)
    y_pred = h_relu.dot(W2)
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(W2.T).copy()
    grad_h[h < 0] = 0
    grad_w1 = X.T.dot(grad_h)
    assert abs(value - np.square(y_pred - y).sum()) <= 1e-10 * abs(value)
    assert np.max(np.abs(g1 - grad_w1)) <= 1e-10 * np.max(np.abs(grad_w1))
    assert np.max(np.abs(g2 - grad_w2)) <= 1e-10 * np.max(np.abs(grad_w2))


def test_matrix_identities():
    rng = np.random.default_rng(1)
    A, x, w = rng.standard_normal((5, 5)), rng.standard_normal(5), rng.standard_normal(5)

    @differentiate
    def quad(x, A):
        return x @ A @ x

    @differentiate
    def bil(x, A, w):
        return w @ (A @ x)
    np.testing.assert_allclose(quad.grad(x, A), (A + A.T) @ x, rtol=1e-12)
    np.testing.assert_allclose(bil.grad(x, A, w), A.T @ w, rtol=1e-12)


def test_float32_in_float32_out_and_python_floats():
    f = differentiate(two_layer_loss, wrt=("W1", "W2"))
    rng = np.random.default_rng(0)
    args = [rng.standard_normal(s).astype(np.float32) for s in ((20, 8), (8, 3), (5, 20), (5, 3))]
    g1, g2 = f.grad(*args)
    assert g1.dtype == np.float32 and g2.dtype == np.float32
    g64 = f.grad(*[a.astype(np.float64) for a in args])
    np.testing.assert_allclose(g1, g64[0], rtol=1e-4, atol=1e-4)

    @differentiate(wrt=("a", "b"))
    def g(a, b, x):
        return np.sum(a * x + b) + a * b
    ga, gb = g.grad(2.0, np.float64(3.0), np.arange(3.0))
    assert np.isclose(ga, 3.0 + 3.0) and np.isclose(gb, 3.0 + 2.0)


def test_functional_grad_and_plain_call_form():
    def f(x, y):
        return np.sum(x * y ** 2)
    x, y = np.arange(3.0), np.arange(3.0) + 1
    np.testing.assert_allclose(s2sgrad.grad(f, wrt="y")(x, y), 2 * x * y)
    df = differentiate(f, wrt=("x", "y"))
    gx, gy = df.grad(x, y)
    np.testing.assert_allclose(gx, y ** 2)
    assert df(x, y) == f(x, y)
    np.testing.assert_allclose(df.grad(x, y=y)[0], y ** 2)   # keyword arguments bind like a call


def test_gradient_of_unused_parameter_is_zero_of_its_shape():
    @differentiate(wrt=("x", "z"))
    def f(x, z):
        return np.sum(x ** 2)
    gx, gz = f.grad(np.ones(3), np.ones((2, 2)))
    np.testing.assert_allclose(gz, np.zeros((2, 2)))


def test_compiles_once_per_signature():
    @differentiate
    def f(x):
        return np.sum(np.sin(x))
    f.grad(np.ones(3))
    f.grad(np.zeros(3))
    assert len(f._cache) == 1
    f.grad(np.ones(4))
    assert len(f._cache) == 2


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_control_flow_example_gradient_is_f_over_a(sign):
    from corpus_control import while_if_vector
    f = differentiate(while_if_vector)
    a = sign * np.abs(np.random.default_rng(3).standard_normal(3))
    g = f.grad(a, seed=np.ones(3))
    np.testing.assert_allclose(g, while_if_vector(a) / a, rtol=1e-15)
    src = f.grad_source
    assert "trips_" in src and "branch_" in src and "saved" not in src


SCALE = 2.0


def scaled(x):
    return SCALE * np.sum(x ** 2)


def test_rebinding_a_global_recompiles():
    global SCALE
    f = differentiate(scaled)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(f.grad(x), 4.0 * x)
    old = SCALE
    try:
        SCALE = 3.0   # the compiled code inlined 2.0: the guard notices and recompiles
        np.testing.assert_allclose(f.grad(x), 6.0 * x)
        np.testing.assert_allclose(f.value_and_grad(x)[0], f(x))
    finally:
        SCALE = old


def test_closure_values_are_guarded_too():
    k = 2.0

    def g(x):
        return k * np.sum(np.sin(x))
    f = differentiate(g)
    x = np.array([0.1, 0.2])
    np.testing.assert_allclose(f.grad(x), 2.0 * np.cos(x))
    k = 5.0  # noqa: F841 -- read through the closure cell
    np.testing.assert_allclose(f.grad(x), 5.0 * np.cos(x))
