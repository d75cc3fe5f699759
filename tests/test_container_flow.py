"""Loops over containers (unrolled when compiling) inside branches and other loops, and with
`continue`: each program is checked against the plain function and finite differences (values,
gradients, forward mode), and the reads that would see a container bound on another path are
refused at the line that reads them.  Found by the structure fuzzer: refused before (messages
naming the front end's temporaries 't' and 'seq'), or an "internal: unexpected statement Continue"."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError, UnsupportedSyntaxError
from s2sgrad.testing import check_grads


class Lin:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, h):
        return np.tanh(self.W @ h + self.b)


def loop_in_a_branch(params, x):
    if np.sum(x) > 0:
        for W, b in params["layers"]:
            x = np.tanh(W @ x + b)
    return np.sum(x ** 2)


def list_loop_in_a_branch(params, x):
    if np.sum(x) < 0:
        x = x * 2.0
    else:
        for W in params["Ws"]:
            x = np.sin(W @ x)
    return np.sum(x)


def layers_run_twice(params, x):
    for step in range(2):
        for W, b in params["layers"]:
            x = np.tanh(W @ x + b) * (1.0 + step)
    return np.sum(x ** 2)


def layer_dicts_in_a_while(params, x):
    k = 0
    while k < 2:
        for layer in params["dicts"]:
            x = np.tanh(layer["W"] @ x) + layer["b"]
        k += 1
    return np.sum(x ** 2)


def skipping_layers(params, x):
    for W, b in params["layers"]:
        if np.sum(W @ x) > 0:
            continue
        x = np.tanh(W @ x + b)
    return np.sum(x ** 2)


def nested_continues(params, x):
    for i, W in enumerate(params["Ws"]):
        h = W @ x
        if np.max(h) > 1.0:
            if i == 0:
                continue
            h = h * 0.5
        elif np.min(h) < -1.0:
            x = x + 0.1
            continue
        x = np.tanh(h) + x
    return np.sum(x ** 2)


def object_made_in_a_branch(W, b, x):
    if np.sum(x) > 0:
        layer = Lin(W, b)
        x = layer(x)
    return np.sum(x ** 2)


def _params(rng):
    W, b = rng.standard_normal((4, 4)) * 0.5, rng.standard_normal(4)
    return {"layers": [(W, b), (0.7 * W.T, -b)], "Ws": [W, 0.4 * W.T],
            "dicts": [{"W": W, "b": b}, {"W": -0.5 * W, "b": 0.3 * b}]}


@pytest.mark.parametrize("fn", [loop_in_a_branch, list_loop_in_a_branch, layers_run_twice, layer_dicts_in_a_while,
                                skipping_layers, nested_continues], ids=lambda f: f.__name__)
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_container_loops_in_branches_and_loops(fn, sign):
    rng = np.random.default_rng(7)
    params, x = _params(rng), sign * np.abs(rng.standard_normal(4))
    check_grads(differentiate(fn, wrt=("params", "x")), (params, x))


def test_skipping_layers_takes_both_paths():
    """(so the test above runs both the continue and the rest of the body)"""
    rng = np.random.default_rng(7)
    params, x0 = _params(rng), np.abs(rng.standard_normal(4))
    decisions = set()
    for sign in (1.0, -1.0):
        x = sign * x0
        for W, b in params["layers"]:
            decisions.add(bool(np.sum(W @ x) > 0))
            if not np.sum(W @ x) > 0:
                x = np.tanh(W @ x + b)
    assert decisions == {True, False}
    assert "continue" not in differentiate(skipping_layers, wrt=("params", "x")).grad_source


def test_an_object_made_in_a_branch():
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((4, 4)) * 0.5, rng.standard_normal(4)
    for sign in (1.0, -1.0):
        check_grads(differentiate(object_made_in_a_branch, wrt=("W", "b", "x")), (W, b, sign * np.ones(4)))


def read_after_the_branch(params, x):
    if np.sum(x) > 0:
        layers = params["layers"]
    else:
        layers = params["more"]
    W, b = layers[0]
    return np.sum(np.tanh(W @ x + b))


def read_by_the_next_pass(params, x):
    layer = params["dicts"][0]
    for k in range(2):
        x = np.tanh(layer["W"] @ x)
        layer = params["dicts"][1]
    return np.sum(x)


def test_reading_a_container_bound_on_another_path_is_refused_where_it_is_read():
    rng = np.random.default_rng(2)
    params = _params(rng)
    params["more"] = params["layers"][::-1]
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(read_after_the_branch, wrt="params").grad(params, np.ones(4))
    msg = str(e.value)
    assert "'layers' is read here" in msg and "W, b = layers[0]" in msg, msg
    assert f"if statement at line {read_after_the_branch.__code__.co_firstlineno + 1}" in msg, msg
    # (refused before: "the next pass reads it before binding it"; the dict's leaves are the loop's
    # variables now, passes/loop_carry.py)
    check_grads(differentiate(read_by_the_next_pass, wrt="params"), (params, np.ones(4)))


def test_continue_in_too_many_places_is_refused():
    lines = ["def f(params, x):", "    for W in params['Ws']:"]
    for k in range(12):
        lines += [f"        if np.sum(x) > {k}.0:", f"            if np.max(x) > {k}.5:", "                continue",
                  "        x = np.tanh(W @ x)"]  # each level copies the rest into both branches
    lines.append("    return np.sum(x)")
    import importlib.util
    import pathlib
    import tempfile
    d = tempfile.mkdtemp()
    p = pathlib.Path(d) / "many_continues.py"
    p.write_text("import numpy as np\n" + "\n".join(lines) + "\n")
    spec = importlib.util.spec_from_file_location("many_continues", p)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(S2SGradError, match="continue, break or return in a loop over a container, in too many places"):
        differentiate(mod.f, wrt="params").grad({"Ws": [np.eye(2)] * 2}, np.ones(2))
