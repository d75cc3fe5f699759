"""Dict changes of dicts the function makes (frontend/dictops.py): `{**p, 'w': w}`, `d.pop(k)`,
`d.pop(k, default)`, `del d[k]`, `d.setdefault(k, v)`.  Before, each was refused ("a dict literal
with computed keys or ** unpacking", "d.pop() changes the container 'd'", "del of an element").
Checked against central differences, forward mode (the dot-product test) and known numbers; a
dict that is not known when compiling, and an argument's dict, stay refused."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

P = {"w": np.array([1.0, 2.0, -0.5]), "b": np.array([0.5, 0.3, 0.2]), "s": 1.5}
Q = {"w": np.array([0.1, -0.2, 0.3]), "c": np.array([2.0, 1.0, 0.5])}
X = np.array([3.0, 4.0, -1.0])


def merged(p, q, x):
    m = {**p, "w": p["w"] * 2, **q}  # q's w over both
    return np.sum(m["w"] * x) + np.sum(m["b"] * m["c"]) * m["s"]


def merged_copy(p, x):
    q = {**p}
    q["w"] = np.tanh(q["w"])  # a new dict: p keeps its w
    return np.sum(q["w"] * x) + np.sum(p["w"] ** 2)


def popped(p, x):
    d = dict(p)
    b = d.pop("b")
    s = d.pop("s", 1.0)
    gone = d.pop("missing", None)
    if gone is not None or "b" in d:  # (an assert would be rewritten by pytest: its code is not the text)
        raise ValueError("pop did not take the entry")
    return np.sum(d["w"] * x) * s + np.sum(b ** 2) + len(d)


def deleted(p, x):
    d = {"w": p["w"] * x, "b": p["b"], "both": p["w"] + p["b"]}
    del d["both"]
    total = 0.0
    for v in d.values():  # the two entries left
        total = total + np.sum(v ** 2)
    return total


def defaulted(p, x):
    cfg = {"scale": p["s"]}
    a = cfg.setdefault("scale", 10.0)  # present: stays p's
    b = cfg.setdefault("shift", np.sum(p["b"]))  # missing: set
    cfg.setdefault("shift", 0.0)
    return np.sum(p["w"] * x) * a + b * cfg["shift"] + cfg["scale"]


def list_deleted(x):
    parts = [x, x ** 2, np.sin(x)]
    del parts[1]
    return np.sum(parts[0] * parts[-1])


def popped_by_helper(p, x):
    def without_bias(params):
        q = dict(params)
        q.pop("b")
        return q
    q = without_bias(p)
    return sum(np.sum(v * x) for k, v in q.items() if k != "s") * q["s"]


@pytest.mark.parametrize("f, args", [(merged, (P, Q, X)), (merged_copy, (P, X)), (popped, (P, X)),
                                     (deleted, (P, X)), (defaulted, (P, X)), (list_deleted, (X,)),
                                     (popped_by_helper, (P, X))])
def test_gradients_match_finite_differences(f, args):
    check_grads(f, args)


def test_known_numbers():
    g = differentiate(popped, wrt=("p", "x")).grad(P, X)
    np.testing.assert_allclose(g[0]["w"], X * 1.5)  # s popped with p's 1.5
    np.testing.assert_allclose(g[0]["b"], 2 * P["b"])
    assert g[0]["s"] == pytest.approx(np.sum(P["w"] * X))
    g = differentiate(merged, wrt=("p", "q", "x")).grad(P, Q, X)
    np.testing.assert_allclose(g[0]["w"], 0.0)  # q's w won
    np.testing.assert_allclose(g[1]["w"], X)
    g = differentiate(defaulted, wrt=("p", "x")).grad(P, X)
    assert g[0]["s"] == pytest.approx(np.sum(P["w"] * X) + 1.0)
    np.testing.assert_allclose(g[0]["b"], 2 * np.sum(P["b"]))


@pytest.mark.parametrize("f", [popped, deleted, defaulted, merged_copy])
def test_forward_mode_agrees_with_reverse(f):
    rng = np.random.default_rng(3)
    tp = {k: rng.standard_normal(np.shape(v)) if np.ndim(v) else float(rng.standard_normal()) for k, v in P.items()}
    tx = rng.standard_normal(3)
    _, dot = jvp(f, (P, X), (tp, tx))
    g = differentiate(f, wrt=("p", "x")).grad(P, X)
    want = sum(np.sum(g[0][k] * tp[k]) for k in P) + np.sum(g[1] * tx)
    assert dot == pytest.approx(want, rel=1e-10)


def missing(p, x):
    d = dict(p)
    d.pop("nope")
    return np.sum(d["w"] * x)


def argument_changed(p, x):
    p.pop("b")
    return np.sum(p["w"] * x)


def in_a_loop(p, x, n):
    d = {"a": p["w"], "b": p["b"]}
    for i in range(n):
        if i == 1:
            del d["b"]
    return np.sum(d["a"] * x)


def popped_in_a_branch(p, x):
    d = dict(p)
    if np.sum(x) > 0:  # a run-time branch: d is one of two dicts after it
        d.pop("b")
    return sum(np.sum(v * x) for v in d.values())


@pytest.mark.parametrize("f, args, words", [
    (popped_in_a_branch, (P, X), "test_dict_changes.py:%d:16: 'd' is read here, but the if statement"
     % (popped_in_a_branch.__code__.co_firstlineno + 4)),
    (missing, (P, X), "the key 'nope' is not in the dict"),
    (argument_changed, (P, X), "p.pop"),
    (in_a_loop, (P, X, 3), "test_dict_changes.py"),
])
def test_refused_where_the_keys_are_not_known(f, args, words):
    with pytest.raises(S2SGradError) as e:
        differentiate(f).grad(*args)
    assert words in str(e.value)


def chained_union(p, q, x):
    m = p | {"z": x} | q  # before: the chain was left to the arithmetic `|`, a zero gradient
    return np.sum(m["w"] * m["z"]) + np.sum(m["b"] * m["c"])


def test_a_chain_of_dict_unions_is_differentiated():
    g = differentiate(chained_union, wrt=("p", "q", "x")).grad(P, Q, X)
    np.testing.assert_allclose(g[0]["w"], 0.0)  # q's w over p's
    np.testing.assert_allclose(g[1]["w"], X)
    np.testing.assert_allclose(g[2], Q["w"])
    np.testing.assert_allclose(g[0]["b"], Q["c"])
    check_grads(chained_union, (P, Q, X))
