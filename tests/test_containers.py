"""Parameter containers (issue 10, item 1): dicts, lists and tuples of arrays, nested, as arguments.

Each program is checked three ways: its value against the plain function, its gradient against
central finite differences (leaf by leaf), and against the same program written with flat arguments.
The gradient has the container's structure and keys."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate

rng = np.random.default_rng(7)
X = rng.standard_normal((5, 3))
Y = rng.standard_normal((5, 2))


def make_params(n_layers=2):
    return {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4),
            "layers": [(rng.standard_normal((4, 4)) * 0.5, rng.standard_normal(4)) for _ in range(n_layers)],
            "W2": rng.standard_normal((4, 2)), "name": "mlp", "depth": n_layers}


def leaves(tree, path=()):
    """(path, array) for every floating leaf, in order."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from leaves(v, path + (k,))
    elif isinstance(tree, (list, tuple)):
        for i, v in enumerate(tree):
            yield from leaves(v, path + (i,))
    elif isinstance(tree, np.ndarray) or isinstance(tree, float):
        yield path, tree


def get(tree, path):
    for k in path:
        tree = tree[k]
    return tree


def with_leaf(tree, path, value):
    if not path:
        return value
    k = path[0]
    if isinstance(tree, dict):
        return {**tree, k: with_leaf(tree[k], path[1:], value)}
    items = list(tree)
    items[k] = with_leaf(items[k], path[1:], value)
    return type(tree)(items)


def check_tree_grad(fn, tree, *rest, eps=1e-6, rtol=1e-6):
    """Value and every floating leaf's gradient against the plain function and finite differences."""
    f = differentiate(fn)
    value, g = f.value_and_grad(tree, *rest)
    assert value == pytest.approx(fn(tree, *rest), rel=1e-12)
    d = np.random.default_rng(1)
    for path, leaf in leaves(tree):
        direction = d.standard_normal(np.shape(leaf))
        fd = (fn(with_leaf(tree, path, leaf + eps * direction), *rest)
              - fn(with_leaf(tree, path, leaf - eps * direction), *rest)) / (2 * eps)
        ad = float(np.sum(get(g, path) * direction))
        assert ad == pytest.approx(fd, rel=rtol, abs=1e-8), path
    return g


# ------------------------------------------------------------------------- reading containers
def mlp(params, X, y):
    h = np.tanh(X @ params["W1"] + params["b1"])
    for W, b in params["layers"]:
        h = np.tanh(h @ W + b)
    out = h @ params["W2"]
    return np.mean((out - y) ** 2)


def mlp_flat(W1, b1, V0, c0, V1, c1, W2, X, y):
    h = np.tanh(X @ W1 + b1)
    h = np.tanh(h @ V0 + c0)
    h = np.tanh(h @ V1 + c1)
    out = h @ W2
    return np.mean((out - y) ** 2)


def test_dict_with_a_list_of_layers_matches_finite_differences():
    check_tree_grad(mlp, make_params(), X, Y)


def test_gradient_has_the_containers_structure_and_equals_the_flat_program():
    p = make_params()
    value, g = differentiate(mlp, wrt="params").value_and_grad(p, X, Y)
    assert isinstance(g, dict) and list(g) == list(p)
    assert isinstance(g["layers"], list) and all(isinstance(t, tuple) for t in g["layers"])
    assert g["name"] is None and g["depth"] is None  # not floating: no gradient
    (V0, c0), (V1, c1) = p["layers"]
    flat = differentiate(mlp_flat, wrt=("W1", "b1", "V0", "c0", "V1", "c1", "W2"))
    fv, fg = flat.value_and_grad(p["W1"], p["b1"], V0, c0, V1, c1, p["W2"], X, Y)
    assert value == fv
    mine = [g["W1"], g["b1"], *g["layers"][0], *g["layers"][1], g["W2"]]
    for a, b in zip(mine, fg):
        np.testing.assert_array_equal(a, b)


def test_a_new_structure_recompiles():
    f = differentiate(mlp)
    for n in (1, 2, 3):
        p = make_params(n)
        value, g = f.value_and_grad(p, X, Y)
        assert value == pytest.approx(mlp(p, X, Y), rel=1e-14)
        assert len(g["layers"]) == n


def test_sgd_step_with_the_gradient_dict():
    p = make_params()
    f = differentiate(mlp)
    before = mlp(p, X, Y)
    g = f.grad(p, X, Y)
    trainable = {k: p[k] for k in ("W1", "b1", "W2")}
    step = {k: trainable[k] - 0.05 * g[k] for k in trainable}
    assert mlp({**p, **step}, X, Y) < before


def access_patterns(params, X):
    W1 = params.get("W1")
    b = params.get("missing", 0.5)
    layers = params["layers"]
    h = X @ W1 + b
    h = h @ layers[-1][0]
    for W, c in layers[:-1]:
        h = np.tanh(h @ W) + c
    n = len(layers)
    for i in range(n):
        h = h + layers[i][1] * (i + 1)
    for k, (W, c) in enumerate(layers):
        h = np.sin(h @ W) * (k + 1.0)
    return np.sum(h * h) / n


def test_get_negative_index_slices_len_range_enumerate():
    check_tree_grad(access_patterns, make_params(3), X)


def items_and_zip(params, Ws, bs):
    total = 0.0
    for name, value in params.items():
        total = total + np.sum(np.sin(value))
    for key in params.keys():
        total = total + np.sum(params[key] ** 2)
    for W, b in zip(Ws, bs):
        total = total + np.sum(np.tanh(W) * b)
    return total


def test_items_keys_and_zip():
    p = {"a": rng.standard_normal(3), "b": rng.standard_normal((2, 2))}
    Ws = [rng.standard_normal((2, 3)) for _ in range(3)]
    bs = [rng.standard_normal(3) for _ in range(3)]
    f = differentiate(items_and_zip, wrt=("params", "Ws", "bs"))
    value, (gp, gW, gb) = f.value_and_grad(p, Ws, bs)
    assert value == pytest.approx(items_and_zip(p, Ws, bs))
    np.testing.assert_allclose(gp["a"], np.cos(p["a"]) + 2 * p["a"])
    np.testing.assert_allclose(gp["b"], np.cos(p["b"]) + 2 * p["b"])
    for W, b, g1, g2 in zip(Ws, bs, gW, gb):
        np.testing.assert_allclose(g1, (1 - np.tanh(W) ** 2) * b)
        np.testing.assert_allclose(g2, np.tanh(W).sum(axis=0))
    assert isinstance(gW, list) and len(gW) == 3


def stacked(hs):
    return np.sum(np.stack(hs) ** 2) + np.sum(np.concatenate(hs) * 0.5)


def test_a_list_of_arrays_passed_to_stack():
    hs = [rng.standard_normal(4) for _ in range(3)]
    g = differentiate(stacked).grad(hs)
    for h, gh in zip(hs, g):
        np.testing.assert_allclose(gh, 2 * h + 0.5)


def nested(cfg, x):
    enc = cfg["encoder"]
    return np.sum(np.tanh(x @ enc["W"]) * cfg["decoder"]["scale"]) + cfg["bias"]


def test_nested_dicts_and_a_float_leaf():
    cfg = {"encoder": {"W": rng.standard_normal((3, 2))}, "decoder": {"scale": rng.standard_normal(2)},
           "bias": 0.25}
    g = check_tree_grad(nested, cfg, X)
    assert g["bias"] == pytest.approx(1.0)


def test_the_generated_code_unpacks_as_the_user_reads():
    f = differentiate(mlp)
    f.grad(make_params(), X, Y)
    src = f.grad_source
    assert "W1 = params['W1']" in src
    assert "layers_0_0 = params['layers'][0][0]" in src
    assert "'W1': grad_W1" in src


def computed_key(params, k):
    return np.sum(params[k])


def write_into_container(params):
    params["W1"] = params["W1"] * 2
    return np.sum(params["W1"])


def test_container_refusals_name_the_line():
    p = {"a": np.ones(2), "b": np.ones(2)}
    # a key passed as an argument is specialised on (static_args.py), like an axis: the key the
    # call gives is looked up when compiling
    with pytest.raises(s2sgrad.S2SGradError, match="key 1 is not in this dict"):
        differentiate(computed_key).grad(p, 1)
    np.testing.assert_allclose(differentiate(computed_key).grad(p, "b")["b"], np.ones(2))
    with pytest.raises(s2sgrad.S2SGradError, match="must be known when compiling"):
        differentiate(computed_key).grad(p, 1.0)
    with pytest.raises(s2sgrad.S2SGradError, match="assignment into 'params' would change the caller's"):
        differentiate(write_into_container).grad(p)


def tuple_param(params, x):
    return np.sum(params[0] * x + params[1])


def test_a_tuple_of_arrays_once_refused_is_differentiated():
    p = (rng.standard_normal(3), rng.standard_normal(3))
    x = rng.standard_normal(3)
    g = differentiate(tuple_param).grad(p, x)
    assert isinstance(g, tuple)
    np.testing.assert_allclose(g[0], x)
    np.testing.assert_allclose(g[1], np.ones(3))
