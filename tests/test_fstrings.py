"""f-strings and str() as values (frontend/expressions.py -> effects.message): refused before
("f-string is not supported"; the fifth survey's `losses[f"batch_{i}"]`, and parameter dicts read
as `params[f"W{i}"]`).  A key built from an unrolled counter is the constant it names when
compiling (passes/container_values.folded_text); text has no derivative (rules/nondiff.py)."""
import numpy as np
from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def mlp(params, x, L):
    h = x
    for i in range(L):
        h = np.tanh(h @ params[f"W{i}"] + params[f"b{i}"])
    return np.sum(h ** 2)


def keyed(x):
    d = {}
    for i in range(2):
        d[f"batch_{i}"] = np.sum(x[i] ** 2)
    return sum(d.values()) + d["batch_1"]


def formatted(p):
    return np.sum(p[f"layer_{1:02d}"] ** 2) + np.sum(p["layer_" + str(2)]) + np.sum(p[f"{'x'!r}"])


def message(x):
    if np.sum(x) > 1e6:
        raise ValueError(f"too large: {np.sum(x):.3e}")
    print(f"sum {np.sum(x):.2f}")
    return np.sum(x ** 2)


def key_at_run_time(p, k):
    return np.sum(p[f"W{k}"])


RNG = np.random.default_rng(12)


def test_keys_built_by_fstrings():
    p = {f"W{i}": RNG.standard_normal((3, 3)) for i in range(2)}
    p.update({f"b{i}": RNG.standard_normal(3) for i in range(2)})
    check_grads(mlp, (p, RNG.standard_normal((2, 3)), 2), wrt=0)
    check_grads(keyed, (RNG.standard_normal((2, 3)),))
    np.testing.assert_allclose(differentiate(keyed).grad(np.ones((2, 3))), [[2.0] * 3, [4.0] * 3])
    q = {"layer_01": RNG.standard_normal(2), "layer_2": RNG.standard_normal(3), "'x'": RNG.standard_normal(2)}
    check_grads(formatted, (q,))


def test_fstrings_in_messages_and_prints(capsys):
    check_grads(message, (RNG.standard_normal(3),))
    assert "sum " in capsys.readouterr().out


def test_a_key_from_an_int_argument_compiles_per_value():
    # (the int is made a static argument: code per value, static_args.py)
    p = {"W0": np.ones(2), "W1": 3 * np.ones(2)}
    d = differentiate(key_at_run_time)
    for k in (1, 0, 1):
        g = d.grad(p, k)
        np.testing.assert_array_equal(g[f"W{k}"], 1.0)
        np.testing.assert_array_equal(g[f"W{1 - k}"], 0.0)


NAMES = ["w", "b"]


def logged(p):
    t = 0.0
    for k in ("a", "b"):  # keys made by a string's methods of known strings: folded when compiling
        t = t + np.sum(p["_".join([k, "w"])] ** 2) + np.sum(p[k.upper()])
    print(", ".join(NAMES), "loss:".upper(), " ".join(f"{v:.1f}" for v in p["a_w"]), "{} keys".format(len(p)))
    return t * len("-".join(NAMES))


def test_string_methods_in_logging_code_and_keys(capsys):
    p = {"a_w": np.array([1.0, 2.0]), "b_w": np.array([3.0]), "A": np.array([1.0]), "B": np.array([2.0])}
    check_grads(differentiate(logged), (p,))
    value, g = differentiate(logged).value_and_grad(p)
    assert value == logged(p) == 17.0 * 3
    np.testing.assert_allclose(g["a_w"], [6.0, 12.0])
    out = capsys.readouterr().out
    assert "w, b LOSS: 1.0 2.0 4 keys" in out, out
