"""Python forms that real programs use and s2sgrad refused (a survey of 40 programs, docs/testing.md):
nested unpacking, generator expressions given to sum/list/tuple, dict comprehensions,
comprehensions with `if` and several `for` clauses, format specs in assert/raise messages,
`with np.errstate(...)`, `np.random.randn(*h.shape)`, a list read at `hs[t + 1]`, a helper's
tuple default, and a comprehension's variable named like a temporary of s2sgrad's own (which made
the dict comprehension's loop read it as a container).  Each against finite differences and
forward mode, or known numbers.
"""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(11)
X = rng.standard_normal(3)
PARAMS = {'w1': rng.standard_normal((3, 3)), 'b1': rng.standard_normal(3), 'w2': rng.standard_normal(3)}


def standardize(x):
    return x * 2.0, (np.mean(x), np.std(x))


def nested_unpacking(x):
    y, (mu, sd) = standardize(x)
    (a, b), c = (x, 2.0 * x), np.sin(x)
    return np.sum(y * mu / sd) + np.sum(a * b * c)


def generators(params, x):
    l2 = sum(np.sum(w ** 2) for w in params.values())
    parts = tuple(np.tanh(params[k] @ x) for k in ('w1',))
    return l2 + np.sum(parts[0])


def comprehensions(params, x):
    scaled = {k: v * 2.0 for k, v in params.items()}
    decay = {name: np.sum(w ** 2) for name, w in params.items() if name.startswith('w')}
    odd = [np.sum(np.sin(x * t)) for t in range(5) if t % 2 == 1]
    pairs = [np.sum(a * b) for a in (x, 2.0 * x) for b in (np.cos(x), x)]
    kept = [h for h in [np.sin(x * t) for t in range(4)] if np.sum(h) > 0]
    h = np.tanh(scaled['w1'] @ x + scaled['b1'])
    return np.sum(h) + sum(decay.values()) + sum(odd) + sum(pairs) + np.sum(sum(kept))


def messages(x):
    r = np.sum(x ** 2)
    assert r >= 0, f"r = {r:.3f}, shape {x.shape!r}, {r!s:>12}"
    if r > 1e6:
        raise ValueError(f"too large: {r:10.2e}")
    with np.errstate(divide='ignore', invalid='ignore'):
        y = np.where(x > 0, np.log(np.abs(x) + (x <= 0)), 0.0)
    return r + np.sum(y)


def counters(x, W):
    hs = [x]
    for t in range(4):
        hs.append(np.tanh(W @ hs[t]))
    s = 0.0
    for t in range(3):
        s = s + np.sum(hs[t + 1] * hs[t]) + np.sum(hs[2 * t - 1] ** 2)
    return s


def kernel(a, bandwidths=(0.5, 1.0, 2.0)):
    return sum(np.exp(-a ** 2 / (2 * s ** 2)) for s in bandwidths)


def default_tuple(x):
    return np.sum(kernel(x))


def test_nested_unpacking():
    check_grads(differentiate(nested_unpacking), (X,))


@pytest.mark.parametrize("fn", [generators, comprehensions])
def test_generators_and_comprehensions(fn):
    check_grads(differentiate(fn, wrt=("params", "x")), (PARAMS, X))


def test_the_filter_on_keys_is_decided_when_compiling():
    src = differentiate(comprehensions, wrt="params").compiled_for(PARAMS, X).value_and_grad_source
    assert "b1 ** 2" not in src  # the decay of 'w' keys only
    g = differentiate(lambda_free_decay, wrt="params").grad(PARAMS)
    np.testing.assert_allclose(g['w1'], 2 * PARAMS['w1'])
    np.testing.assert_allclose(g['b1'], 0.0 * PARAMS['b1'])


def lambda_free_decay(params):
    decay = {name: np.sum(w ** 2) for name, w in params.items() if name.startswith('w')}
    return sum(decay.values())


def test_messages_and_errstate():
    x = np.array([0.5, -1.0, 2.0])
    check_grads(differentiate(messages), (x,))
    with pytest.raises(ValueError, match=r"too large:   1\.00e\+08"):
        differentiate(messages).grad(np.array([1e4, 0.0, 0.0]))


def test_errstate_that_raises_is_refused():
    def f(x):
        with np.errstate(all='raise'):
            y = np.log(x)
        return np.sum(y)
    with pytest.raises(UnsupportedSyntaxError, match="only silence warnings"):
        differentiate(f).grad(np.ones(2))


def test_counter_arithmetic_into_a_list():
    check_grads(differentiate(counters, wrt=("x", "W")), (X, rng.standard_normal((3, 3)) * 0.5))


def test_a_helpers_tuple_default():
    x = np.array([0.3, -1.2])
    g = differentiate(default_tuple).grad(x)
    want = sum(-x / s ** 2 * np.exp(-x ** 2 / (2 * s ** 2)) for s in (0.5, 1.0, 2.0))
    np.testing.assert_allclose(g, want)


def test_randn_of_a_starred_shape_draws_what_numpy_draws():
    def f(mu, logvar):
        eps = np.random.randn(*mu.shape)
        u = np.random.rand(*mu.shape)
        return np.sum((mu + np.exp(0.5 * logvar) * eps * u) ** 2)
    mu, lv = np.array([0.1, 0.2]), np.array([0.0, -1.0])
    np.random.seed(1)
    want = f(mu, lv)
    np.random.seed(1)
    v, (gmu, _) = differentiate(f, wrt=("mu", "logvar")).value_and_grad(mu, lv)
    np.random.seed(1)
    eps, u = np.random.randn(2), np.random.rand(2)
    assert v == want
    np.testing.assert_allclose(gmu, 2 * (mu + np.exp(0.5 * lv) * eps * u))


def test_a_comprehension_variable_named_like_a_temporary():
    def f(params, x):
        decay = {name: np.sum(w ** 2) for name, w in params.items()}
        sel = [h for h in [np.sin(x * t) for t in range(4)] if np.sum(h) > 0]
        return sum(decay.values()) + np.sum(sum(sel))
    check_grads(differentiate(f, wrt=("params", "x")), (PARAMS, X))


relu = lambda z: np.maximum(z, 0.0)  # noqa: E731 (module-level lambdas are what this tests)
scale = lambda z, k=3.0: z * k  # noqa: E731
squared_norm = lambda x: np.sum(x ** 2)  # noqa: E731


def make_loss(slope=0.01):
    leaky = lambda z: np.maximum(z, slope * z)  # noqa: E731

    def loss(w):
        hidden = leaky(w * 2.0)
        return np.sum(hidden * scale(w, k=0.5)) + np.sum(relu(w))
    return loss


def test_lambdas_bound_to_names_are_inlined():
    # (a lambda from a module or an enclosing function was refused as 'not a def statement')
    w = np.array([0.5, -1.0, 2.0])
    g = differentiate(make_loss()).grad(w)
    h = np.maximum(2 * w, 0.02 * w)
    want = np.where(2 * w > 0.02 * w, 2.0, 0.02) * 0.5 * w + h * 0.5 + (w > 0)
    np.testing.assert_allclose(g, want)
    np.testing.assert_allclose(differentiate(squared_norm).grad(w), 2 * w)
    check_grads(differentiate(make_loss()), (w,))


two_on_a_line = (lambda z: np.sum(z * 2.0), lambda z: np.sum(z ** 3))  # noqa: E731
two_alike = (lambda z: np.sum(z), lambda z: np.sum(z))  # noqa: E731


def test_lambdas_on_one_line_are_told_apart_by_their_columns():
    # (refused before; frontend/lower._lambda_def reads the column of the body fn's code starts at)
    np.testing.assert_allclose(differentiate(two_on_a_line[0]).grad(np.ones(2)), [2.0, 2.0])
    np.testing.assert_allclose(differentiate(two_on_a_line[1]).grad(np.ones(2) * 2), [12.0, 12.0])
    np.testing.assert_allclose(differentiate(two_alike[1]).grad(np.ones(2)), [1.0, 1.0])


def filled_diagonal(z, v):
    sim = z @ z.T
    np.fill_diagonal(sim, v * 2.0)
    return np.sum(np.exp(-sim ** 2))


def test_fill_diagonal_is_a_masked_write():
    # (it was refused as an expression statement)
    check_grads(differentiate(filled_diagonal, wrt=("z", "v")), (rng.standard_normal((4, 3)), 0.7))
    check_grads(differentiate(filled_diagonal, wrt=("z", "v")), (rng.standard_normal((3, 4)), np.arange(3.0)))
    src = differentiate(filled_diagonal, wrt="z").compiled_for(np.ones((3, 2)), 0.7).value_and_grad_source
    assert "diag = np.eye(sim.shape[0], sim.shape[1], dtype='bool')" in src and "sim[diag] = " in src
    with pytest.raises(UnsupportedSyntaxError, match="wrap=True"):
        def wrapped(z):
            s = z @ z.T
            np.fill_diagonal(s, 0.0, wrap=True)
            return np.sum(s)
        differentiate(wrapped)


def record(cache, name, h):
    cache[name] = h


def check_finite(h):
    assert np.all(np.isfinite(h)), "not finite"


def zero_first(a):
    a[0] = 0.0


def burn_draws():
    return np.random.randn(3)


def helpers_as_statements(x, W):
    cache = {}
    h = np.tanh(W @ x)
    record(cache, 'h', h)
    check_finite(h)
    record(cache, 'z', np.sin(h))
    out = x * 2.0
    zero_first(out)
    return np.sum(cache['z'] * cache['h']) + np.sum(out ** 2)


def test_helpers_called_for_their_effect():
    # (a call as a statement was refused; a helper writing into its parameter writes into the caller's)
    check_grads(differentiate(helpers_as_statements, wrt=("x", "W")), (X, rng.standard_normal((3, 3))))
    with pytest.raises(UnsupportedSyntaxError, match="would change the caller's array"):
        def writes_argument(x):
            zero_first(x)
            return np.sum(x)
        differentiate(writes_argument).grad(X)


def test_draws_nobody_reads_still_move_the_generator():
    # (dead-code elimination dropped `_ = np.random.randn(3)` and a helper's discarded draw: the
    # next draw was another number than the plain function's, 2.16 for 4.11)
    def unread(x):
        _ = np.random.randn(3)
        z = np.random.randn(3)
        return np.sum(x * z)

    def discarded(x):
        burn_draws()
        return np.sum(x * np.random.randn(3))
    for fn in (unread, discarded):
        np.random.seed(0)
        want = fn(X)
        np.random.seed(0)
        assert differentiate(fn).value_and_grad(X)[0] == want


def test_sum_with_a_start_value():
    def f(x):
        return np.sum(sum((np.sin(x * t) for t in range(3)), x * 2.0)) + sum([x[0], x[1]], 1.0)
    check_grads(differentiate(f), (X,))


def test_draws_keep_their_order():
    # (a temporary holding a draw is not folded into a later statement, where another draw could
    # come first)
    def g(x):
        return np.random.randn() + np.sum(np.random.randn(3) * x)
    np.random.seed(1)
    want = g(X)
    np.random.seed(1)
    assert differentiate(g).value_and_grad(X)[0] == want
    assert "draw = np.random.randn()" in differentiate(g).compiled_for(X).value_and_grad_source  # (its own line)


def message_passing(H, W, src, dst):
    msgs = np.tanh(H[src] @ W)
    agg = np.zeros_like(H)
    np.add.at(agg, dst, msgs)  # repeated destinations add up
    np.add.at(agg, dst, 0.5)
    return np.sum(np.tanh(agg) ** 2)


def test_np_add_at_as_a_statement():
    # (it was refused as an expression statement; its adjoint gathers: grad_msgs = grad_agg[dst])
    H, W = rng.standard_normal((4, 3)), rng.standard_normal((3, 3)) * 0.5
    src, dst = np.array([0, 1, 2, 3, 0]), np.array([1, 1, 3, 0, 1])
    check_grads(differentiate(message_passing, wrt=("H", "W")), (H, W, src, dst))
    src_code = differentiate(message_passing, wrt="H").compiled_for(H, W, src, dst).value_and_grad_source
    assert "agg = scatter_add(agg, dst, msgs)" in src_code and "grad_msgs = grad_" in src_code and "[dst]" in src_code

    def shared(H, dst):
        agg = H * 1.0
        other = agg
        np.add.at(agg, dst, 1.0)
        return np.sum(other * agg)
    with pytest.raises(UnsupportedSyntaxError, match="updates the array agg in place"):
        differentiate(shared).grad(H, dst)


def weighted_degree(w, x):
    deg = np.bincount(x, minlength=5)
    s = np.bincount(x, weights=w ** 2, minlength=5)
    return np.sum(s / np.maximum(deg, 1)) + np.sum(np.bincount(x, w) * np.arange(5.0))


def integrate(v, g=np.array([0.0, -9.8]), dt=0.1):
    return v + g * dt


def with_default_array(v):
    return np.sum(integrate(v) ** 2)


def test_bincount_and_array_defaults():
    # (np.bincount had no row; a helper's array default was 'a value s2sgrad cannot inline')
    check_grads(differentiate(weighted_degree, wrt="w"), (rng.standard_normal(6), np.array([0, 2, 2, 4, 1, 2])))
    v = np.array([1.0, 2.0])
    np.testing.assert_allclose(differentiate(with_default_array).grad(v), 2 * (v + np.array([0.0, -0.98])))
