"""Forward mode (s2sgrad.jvp, ad/forward.py): tangents against central finite differences and the
dot-product test against reverse mode on every function of the test corpora, Jacobians in both
modes, Hessians and Hessian-vector products against finite differences of the gradient."""
import numpy as np
import pytest

import s2sgrad
from corpus_control import CORPUS as CONTROL
from corpus_straight import CORPUS as STRAIGHT
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.passes.containers import is_floating_value

CORPUS = STRAIGHT + CONTROL


def _ids(corpus):
    seen, out = {}, []
    for fn, _, _ in corpus:
        n = seen.get(fn.__name__, 0)
        seen[fn.__name__] = n + 1
        out.append(fn.__name__ if n == 0 else f"{fn.__name__}-{n}")
    return out


def _tangents(fn, args, wrt, rng):
    names = list(differentiate(fn)._params)
    return tuple(rng.standard_normal(np.shape(a)) if n in wrt and isinstance(a, np.ndarray)
                 else (float(rng.standard_normal()) if n in wrt else (np.zeros_like(a) if is_floating_value(a) else None))
                 for n, a in zip(names, args))


@pytest.mark.parametrize("fn,args,wrt", CORPUS, ids=_ids(CORPUS))
def test_dot_product_forward_against_reverse(fn, args, wrt):
    """<J v, w> == <v, J^T w> to 1e-10 relative: forward mode against reverse mode."""
    rng = np.random.default_rng(7)
    tangents = _tangents(fn, args, wrt, rng)
    value, tangent = s2sgrad.jvp(fn, args, tangents)
    np.testing.assert_allclose(value, fn(*args), rtol=1e-13, atol=1e-13)
    w = rng.standard_normal(np.shape(value))
    f = differentiate(fn, wrt=wrt)
    grads = f.grad(*args, seed=w if np.shape(value) else float(w))
    grads = grads if isinstance(grads, tuple) and len(wrt) > 1 else (grads,)
    names = list(f._params)
    lhs = float(np.sum(np.asarray(tangent) * w))
    rhs = sum(float(np.sum(np.asarray(tangents[names.index(p)]) * g)) for p, g in zip(wrt, grads))
    assert abs(lhs - rhs) <= 1e-10 * max(1.0, abs(lhs), abs(rhs)), (lhs, rhs)


@pytest.mark.parametrize("fn,args,wrt", CORPUS, ids=_ids(CORPUS))
def test_tangent_against_finite_differences(fn, args, wrt):
    rng = np.random.default_rng(3)
    tangents = _tangents(fn, args, wrt, rng)
    _, tangent = s2sgrad.jvp(fn, args, tangents)
    eps = 1e-6

    def at(sign):
        return np.asarray(fn(*[a + sign * eps * t if t is not None else a for a, t in zip(args, tangents)]))
    fd = (at(1) - at(-1)) / (2 * eps)
    np.testing.assert_allclose(tangent, fd, rtol=1e-5, atol=1e-6)


def mlp(x, W1, W2):
    h = np.maximum(x @ W1, 0.0)
    return np.tanh(h @ W2)


def scalar_loss(x, W):
    h = np.tanh(W @ x)
    total = 0.0
    for i in range(3):
        if np.sum(h) > 0:
            total = total + np.sum(h ** 2) * i
        else:
            total = total - np.sum(np.sin(h))
        h = h * 0.9 + x[:2] * 0.1
    return total + np.sum(x ** 3)


def test_jvp_source_reads_like_hand_written_forward_mode():
    rng = np.random.default_rng(0)
    x, W1, W2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    src = s2sgrad.jvp_source(mlp, x, W1, W2)
    assert "dot_h = dot_x @ W1 + x @ dot_W1" in src.replace("dot_t1", "dot_h") or "x @ dot_W1" in src
    assert "def mlp_jvp(x, W1, W2, dot_x, dot_W1, dot_W2):" in src


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_jacobian_both_modes_against_finite_differences(mode):
    rng = np.random.default_rng(1)
    x, W1, W2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    J = s2sgrad.jacobian(mlp, wrt="W1", mode=mode)(x, W1, W2)
    assert J.shape == (4, 2, 3, 5)
    eps = 1e-6
    fd = np.zeros_like(J)
    for idx in np.ndindex(W1.shape):
        d = np.zeros_like(W1)
        d[idx] = eps
        fd[(...,) + idx] = (mlp(x, W1 + d, W2) - mlp(x, W1 - d, W2)) / (2 * eps)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-8)


def test_jacfwd_equals_jacrev():
    rng = np.random.default_rng(2)
    x, W1, W2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    np.testing.assert_allclose(s2sgrad.jacfwd(mlp, 0)(x, W1, W2), s2sgrad.jacrev(mlp, 0)(x, W1, W2), rtol=1e-12,
                               atol=1e-14)


def _fd_hessian(f, x, W, eps=1e-5):
    g = s2sgrad.grad(f)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = eps
        cols.append((g(x + e, W) - g(x - e, W)) / (2 * eps))
    return np.stack(cols, -1).reshape(x.shape + x.shape)


def test_hessian_through_loops_and_branches_against_finite_differences_of_the_gradient():
    rng = np.random.default_rng(4)
    x, W = rng.standard_normal(3), rng.standard_normal((2, 3))
    H = s2sgrad.hessian(scalar_loss, wrt="x")(x, W)
    assert H.shape == (3, 3)
    np.testing.assert_allclose(H, _fd_hessian(scalar_loss, x, W), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(H, H.T, rtol=0, atol=1e-12)  # symmetric to round-off


def test_hvp_is_the_hessian_times_v():
    rng = np.random.default_rng(5)
    x, W, v = rng.standard_normal(3), rng.standard_normal((2, 3)), rng.standard_normal(3)
    H = s2sgrad.hessian(scalar_loss)(x, W)
    np.testing.assert_allclose(s2sgrad.hvp(scalar_loss, (x, W), v), H @ v, rtol=1e-12, atol=1e-12)


def test_known_hessian_of_a_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])

    def quad(x, A):
        return 0.5 * x @ A @ x + np.sum(x)
    H = s2sgrad.hessian(quad)(np.array([0.3, -0.7]), A)
    np.testing.assert_allclose(H, A, rtol=1e-15)


def test_a_row_without_a_forward_rule_is_refused_at_its_line():
    def uses_svd(A):
        s = np.linalg.svd(A, compute_uv=False)
        return np.sum(s)
    A = np.arange(6.0).reshape(2, 3)
    try:
        s2sgrad.jvp(uses_svd, (A,), (np.ones_like(A),))
    except S2SGradError as e:
        assert "forward-mode rule" in str(e) and "np.linalg.svd" in str(e)
    else:  # once the row has its forward rule, it must be right
        pass


def looped(x, a):
    y = x
    for i in range(3):
        y = np.sin(y) * a + x ** 2
    return y


def test_grad_of_grad_to_depth_four_against_finite_differences():
    x, a, eps = 0.7, 1.3, 1e-4
    d1 = s2sgrad.grad(looped)
    d2 = s2sgrad.grad(d1)
    d3 = s2sgrad.grad(d2)
    d4 = s2sgrad.grad(d3)
    for lower, higher in [(d1, d2), (d2, d3), (d3, d4)]:
        fd = (lower(x + eps, a) - lower(x - eps, a)) / (2 * eps)
        assert higher(x, a) == pytest.approx(fd, rel=1e-6)
    assert "def looped_tangent_value_and_grad(x, a, dot_x):" in d2.source(x, a)


def test_grad_of_grad_of_an_array_argument_says_to_use_hessian():
    with pytest.raises(S2SGradError, match="use s2sgrad.hessian"):
        s2sgrad.grad(s2sgrad.grad(scalar_loss))(np.ones(3), np.ones((2, 3)))


@pytest.mark.parametrize("fn,args,wrt", CORPUS, ids=_ids(CORPUS))
def test_forward_jacobian_equals_reverse_jacobian(fn, args, wrt):
    """jacfwd (one batched call where the function's rules allow it, else one JVP per element)
    against jacrev, on every corpus function."""
    name = wrt[0]
    Jf = s2sgrad.jacfwd(fn, name)(*args)
    Jr = s2sgrad.jacrev(fn, name)(*args)
    np.testing.assert_allclose(Jf, Jr, rtol=1e-10, atol=1e-12)


def test_forward_jacobian_is_one_batched_call_for_elementwise_and_matmul_code():
    from s2sgrad import higher
    rng = np.random.default_rng(3)
    x, W1, W2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    s2sgrad.jacfwd(mlp, "W1")(x, W1, W2)
    hit = higher._forward(mlp).batched((x, W1, W2), "W1")
    assert hit is not None
    src = hit[1].jvp_source
    assert "def mlp_jvp_batched(x, W1, W2, dot_W1):" in src and "x @ dot_W1" in src


def test_a_function_that_cannot_be_batched_falls_back_to_one_jvp_per_element():
    def scan(x):
        return np.cumsum(np.sin(x)) * x
    from s2sgrad import higher
    x = np.array([0.2, -0.4, 1.1])
    Jf = s2sgrad.jacfwd(scan)(x)
    assert higher._forward(scan).batched((x,), "x") is None
    np.testing.assert_allclose(Jf, s2sgrad.jacrev(scan)(x), rtol=1e-12)


def test_jvp_source_property_and_the_show_command(capsys):
    import os
    from s2sgrad.cli import main
    f = differentiate(mlp)
    assert "GENERIC variant" in f.jvp_source
    rng = np.random.default_rng(0)
    f.grad(rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2)),
           seed=np.ones((4, 2)))
    assert "specialised for x: float64[4, 3], W1: float64[3, 5], W2: float64[5, 2]" in f.jvp_source
    example = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "two_layer_net.py")
    assert main(["show", f"{example}:loss", "--variant", "jvp", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "dot_h = dot_X @ W1 + X @ dot_W1" in out
    assert main(["show", f"{example}:loss", "--variant", "hvp", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "def loss_tangent_value_and_grad(W1, W2, X, y, dot_W1):" in out


def tree_mlp(params, X, y):
    h = X
    for W, b in params["layers"]:
        h = np.tanh(h @ W + b)
    return np.sum((h @ params["out"] - y) ** 2)


def _tree(rng):
    return {"layers": [(rng.standard_normal((3, 4)), rng.standard_normal(4)),
                       (rng.standard_normal((4, 4)), rng.standard_normal(4))], "out": rng.standard_normal((4, 2))}


def _leaves(t):
    return [a for W, b in t["layers"] for a in (W, b)] + [t["out"]]


def test_jvp_and_hvp_with_a_dict_of_parameters():
    rng = np.random.default_rng(8)
    params, tan = _tree(rng), _tree(rng)
    X, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    _, t = s2sgrad.jvp(tree_mlp, (params, X, y), (tan, None, None))
    g = s2sgrad.grad(tree_mlp)(params, X, y)
    assert t == pytest.approx(sum(np.sum(a * b) for a, b in zip(_leaves(tan), _leaves(g))), rel=1e-12)
    src = s2sgrad.jvp_source(tree_mlp, params, X, y)
    assert "dot_layers_0_0 = dot_params['layers'][0][0]" in src
    hv = s2sgrad.hvp(tree_mlp, (params, X, y), tan)
    eps = 1e-6

    def shifted(sign):
        moved = {"layers": [(W + sign * eps * tW, b + sign * eps * tb)
                            for (W, b), (tW, tb) in zip(params["layers"], tan["layers"])],
                 "out": params["out"] + sign * eps * tan["out"]}
        return _leaves(s2sgrad.grad(tree_mlp)(moved, X, y))
    for h, p, m in zip(_leaves(hv), shifted(1), shifted(-1)):
        np.testing.assert_allclose(h, (p - m) / (2 * eps), rtol=1e-5, atol=1e-7)


def test_a_tangent_of_the_wrong_structure_is_refused():
    rng = np.random.default_rng(9)
    params = _tree(rng)
    with pytest.raises(S2SGradError, match="must be a dict with the keys"):
        s2sgrad.jvp(tree_mlp, (params, np.ones((5, 3)), np.ones((5, 2))), ({"out": 1.0}, None, None))


def test_reverse_jacobian_is_one_batched_call_of_the_pullback():
    """jacrev: the generated vector-Jacobian product is linear in its seed; its batched forward mode
    with the identity basis gives every row of J in one call (here with an indexed write in the
    adjoint: the scatter of `np.sum(W1, axis=0)[:2]`)."""
    def net(x, W1, W2):
        h = np.maximum(x @ W1, 0.0)
        return np.tanh(h @ W2) + np.sum(W1, axis=0)[:2] * 0.1
    rng = np.random.default_rng(11)
    x, W1, W2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    J = s2sgrad.jacrev(net, "W1")(x, W1, W2)
    np.testing.assert_allclose(J, s2sgrad.jacfwd(net, "W1")(x, W1, W2), rtol=1e-12, atol=1e-14)
    from s2sgrad import higher
    d = differentiate(net, wrt="W1")
    rows = higher._batched_pullback(d, (x, W1, W2), net(x, W1, W2))
    assert d.compiled_for(x, W1, W2).__dict__["batched_pullback"]["fn"] is not None
    np.testing.assert_allclose(rows.reshape(J.shape), J, rtol=1e-15)


@differentiate
def inner_loss(w, X, y):
    return np.mean((X @ w - y) ** 2)


def meta_loss(w, X, y, lr):
    """One step of gradient descent inside the loss (MAML): f.grad called by a differentiated function."""
    adapted = w - lr * inner_loss.grad(w, X, y)
    return inner_loss(adapted, X, y) + 0.1 * np.sum(adapted ** 2)


def test_a_differentiated_function_may_call_another_ones_grad():
    from s2sgrad.testing import check_grads
    rng = np.random.default_rng(12)
    w, X, y = rng.standard_normal(3), rng.standard_normal((8, 3)), rng.standard_normal(8)
    f = differentiate(meta_loss, wrt=("w", "lr"))
    check_grads(f, (w, X, y, 0.1))
    f.grad(w, X, y, 0.1)
    assert "inner_loss_grad_fwd(w, X, y)" in f.grad_source and "inner_loss_grad_bwd(" in f.grad_source


def test_a_copy_keeps_its_tangent_when_the_original_is_written_in_place():
    """Forward mode: `old = u.copy()` then `u[1:] = ...` must not change old's tangent (found in
    review: the copy's tangent was the original's array, written in place); also batched (jacrev
    runs batched forward mode over the generated pullback, whose adjoint writes are in place)."""
    def step(x):
        u = np.sin(x)
        old = u.copy()
        u[1:] = u[1:] + 0.5 * u[:-1]
        return np.sum((u - old) ** 2)

    def view_copy(x):
        a = np.sin(x)
        y = a[0:2].copy()
        a[0] = 5.0
        return y + a[:2]

    def buffers(x):
        a = np.zeros_like(x)
        b = np.ones_like(x)
        a[1] = x[0]
        b[2] = a[1] * x[2]
        return a * b + a[1] * x
    x = np.array([0.37, -0.71, 1.13])
    t = np.array([1.0, 0.0, 0.0])
    assert s2sgrad.jvp(step, (x,), (t,))[1] == pytest.approx(float(s2sgrad.grad(step)(x) @ t), rel=1e-12)
    for f in (view_copy, buffers):
        rows = np.stack([differentiate(f).grad(x, seed=e) for e in np.eye(len(f(x)))])
        np.testing.assert_allclose(s2sgrad.jacfwd(f)(x), rows, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(s2sgrad.jacrev(f)(x), rows, rtol=1e-12, atol=1e-15)


def test_grad_of_grad_takes_the_outer_wrt_and_defaults():
    """grad(grad(f, wrt="a"), wrt="x") is the mixed partial (it was d2f/da2: the outer wrt was
    ignored); the outer default is the first parameter, as for any grad; defaults are bound."""
    def f(x, a, scale=1.0):
        return np.sin(x * a) * a * scale
    x, a, e = 0.4, 1.3, 1e-5
    fa = lambda x: (f(x, a + e) - f(x, a - e)) / (2 * e)  # noqa: E731
    mixed = (fa(x + e) - fa(x - e)) / (2 * e)
    assert s2sgrad.grad(s2sgrad.grad(f, wrt="a"), wrt="x")(x, a) == pytest.approx(mixed, rel=1e-6)
    assert s2sgrad.grad(s2sgrad.grad(f, wrt="a"))(x, a) == pytest.approx(mixed, rel=1e-6)
    ga = s2sgrad.grad(f, wrt="a")
    assert s2sgrad.grad(ga, wrt="a")(x, a) == pytest.approx((ga(x, a + e) - ga(x, a - e)) / (2 * e), rel=1e-6)

    def g(w, s):
        return np.sum(np.sin(w) * s ** 2)
    w = np.array([0.1, 0.2])
    np.testing.assert_allclose(s2sgrad.grad(s2sgrad.grad(g, wrt="s"), wrt="w")(w, 0.7), 1.4 * np.cos(w))

    def sdef(x, a=2.0):
        return np.sum(np.sin(x) * a) ** 2
    v = np.array([0.3, 0.5])
    H = s2sgrad.hessian(sdef)(v)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    np.testing.assert_allclose(s2sgrad.hvp(sdef, (v,), np.ones(2)), H @ np.ones(2), rtol=1e-12)
    np.testing.assert_allclose(s2sgrad.jacfwd(sdef)(v), s2sgrad.grad(sdef)(v), rtol=1e-12)


def test_a_tangent_for_an_integer_argument_is_refused():
    def g(n, x):
        return np.sum(x * n)
    with pytest.raises(S2SGradError, match="'n' is not floating"):
        s2sgrad.jvp(g, (np.array([1, 2]), np.ones(2)), (np.ones(2), np.ones(2)))


def test_a_copied_row_keeps_the_tangent_array_its_own():
    """Reading a row (copied by the views pass) and writing the next in a loop: the row's tangent is
    copied too, so the whole tangent array is not copied every iteration (it was: quadratic)."""
    def rows(x, n):
        a = np.zeros((n, x.size))
        a[0] = x
        for i in range(1, n):
            a[i] = np.sin(a[i - 1]) * 0.9 + x * 0.1
        return np.sum(a ** 2)
    x = np.linspace(0.1, 1.0, 5)
    src = s2sgrad.jvp_source(rows, x, 6)
    assert "dot_a = np.full_like(a, dot_a)" not in src
    from s2sgrad.testing import check_grads
    check_grads(differentiate(rows), (x, 6))


def _pair_product(p):
    a, b = p
    return a * np.sin(b)


def test_jvp_of_a_tuple_of_floats_reads_it_as_an_array():
    # (refused before with "'p' is not floating (tuple)", though differentiate takes it as an array)
    from s2sgrad import jvp
    value, tangent = jvp(_pair_product, ((1.0, 2.0),), ((1.0, 0.5),))
    assert value == np.sin(2.0)
    np.testing.assert_allclose(tangent, np.sin(2.0) + 0.5 * np.cos(2.0), rtol=1e-14)


def _clipped_then_written(x):
    a = np.clip(x, -0.5, 0.5).copy()
    a[[2, 0]] = x[:2]  # (the written elements' tangents pass whatever the clip's mask says)
    return np.sum(np.sin(a))


def _maximum_then_sliced(x):
    a = np.maximum(x, 0.1).copy()
    a[1:3] = x[:2] * 2.0
    return np.sum(np.sin(a) * a)


@pytest.mark.parametrize("fn", [_clipped_then_written, _maximum_then_sliced])
def test_a_write_into_a_masked_tangent_unmasks_it(fn):
    """np.clip's and np.maximum's tangents are zero where their masks are False, and forward mode
    applied that mask again where the tangent was read -- after an indexed write had put other
    elements there: <J v> 6.204 against reverse mode's 5.099 (fuzzgen seed 113, found 2026-11-30;
    older than that stop).  A write into the tangent now drops its mask."""
    for seed in range(6):
        rng = np.random.default_rng(seed)
        x, v = rng.standard_normal(4), rng.standard_normal(4)
        _, tangent = s2sgrad.jvp(fn, (x,), (v,))
        eps = 1e-6
        fd = (fn(x + eps * v) - fn(x - eps * v)) / (2 * eps)
        np.testing.assert_allclose(tangent, differentiate(fn).grad(x) @ v, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(tangent, fd, rtol=1e-6, atol=1e-8)


def _clip_of_a_scalar_transposed(x, W, s):
    W = np.exp(np.clip(s, -3.0, 3.0))  # (a Python float s: the clip's mask is a Python bool)
    return np.sum(np.exp(np.clip(W, -3.0, 3.0)) + W.T.T + W * np.cos(W))


def test_the_mask_of_a_scalars_clip_moved_by_a_transpose():
    # (fuzzgen seed 129: the tangent code applied .T to the mask, a Python bool: an AttributeError)
    x, W, s = np.ones(4), np.ones((4, 3)), 0.5
    _, tangent = s2sgrad.jvp(_clip_of_a_scalar_transposed, (x, W, s), (np.ones(4), np.ones((4, 3)), 1.0))
    eps = 1e-6
    fd = (_clip_of_a_scalar_transposed(x, W, s + eps) - _clip_of_a_scalar_transposed(x, W, s - eps)) / (2 * eps)
    assert np.isclose(tangent, fd, rtol=1e-7)
