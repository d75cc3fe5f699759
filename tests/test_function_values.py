"""Functions as values (frontend/function_values.py): `act = relu`, lists, tuples and dicts of
functions made in the function or at module level, loops over them (zip, enumerate, reversed),
`acts[i](z)` with a key known only when running, `f if c else g`, numpy functions passed to
helpers; each checked against finite differences and forward mode, and the uses that would make
a function a run-time value refused at their line."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def relu(z):
    return np.maximum(z, 0.0)


def softplus(z):
    return np.log1p(np.exp(z))


def apply(fn, z):
    return fn(z)


def apply_twice(fn, z):
    return apply(fn, apply(fn, z))  # (a helper passing its function on)


ACTS = (softplus, np.tanh, np.sin)

rng = np.random.default_rng(3)
WS = [rng.standard_normal((4, 3)), rng.standard_normal((4, 4)), rng.standard_normal((2, 4))]
X = rng.standard_normal(3)


def mlp_zip(ws, x):
    acts = [softplus, np.tanh, lambda z: z * z]
    h = x
    for W, act in zip(ws, acts):
        h = act(W @ h)
    return np.sum(h)


def test_a_list_of_functions_zipped_with_the_weights():
    check_grads(mlp_zip, (WS, X), wrt="ws")
    src = differentiate(mlp_zip).compiled_for(WS, X).value_and_grad_source
    assert "act_out = np.tanh(W @ h)" in src  # (each entry called where the loop calls it)


def mlp_module_table(ws, x):
    h = x
    for i, act in enumerate(ACTS):
        h = act(ws[i] @ h)
    for act in reversed(ACTS):
        h = act(h)
    return np.sum(h * h) + len(ACTS)


def test_a_module_level_tuple_of_functions_enumerated_and_reversed():
    check_grads(mlp_module_table, (WS, X), wrt="ws")
    h = X
    for i, act in enumerate(ACTS):
        h = act(WS[i] @ h)
    for act in reversed(ACTS):
        h = act(h)
    assert differentiate(mlp_module_table).value_and_grad(WS, X)[0] == pytest.approx(np.sum(h * h) + 3, rel=1e-14)


def aliases(x, scale):
    act = relu
    smooth = np.tanh
    first, second = (softplus, np.sin)
    out = act(x * scale) + smooth(x) + second(first(x))
    return np.sum(out) + np.sum(apply(np.tanh, x)) + np.sum(apply_twice(softplus, x * scale))


def test_names_bound_to_functions_and_functions_passed_to_helpers():
    x = np.array([0.3, -1.2, 2.0, 0.7])
    check_grads(aliases, (x, 1.3), wrt=("x", "scale"))


def by_position(x, picks):
    acts = [softplus, np.tanh, np.sin]
    total = 0.0
    for p in picks:
        total = total + np.sum(acts[p](x))  # a key known only when it runs
    return total


def test_a_key_known_only_when_running_is_the_choice_python_makes():
    x = np.array([0.3, -1.2, 2.0])
    picks = np.array([2, 0, -1, 1])
    d = differentiate(by_position, wrt="x")
    value, g = d.value_and_grad(x, picks)
    assert value == pytest.approx(by_position(x, picks), rel=1e-14)
    fx = softplus(x)
    want = 2 * np.cos(x) + np.exp(x) / (1 + np.exp(x)) + (1 - np.tanh(x) ** 2)  # sin, softplus, sin, tanh
    np.testing.assert_allclose(g, want, rtol=1e-13)
    assert fx.shape == g.shape
    with pytest.raises(IndexError):
        d.value_and_grad(x, np.array([3]))  # (Python's IndexError, as acts[3] raises)


LOSSES = {"mse": lambda r: r * r, "abs": np.abs}


def chosen(w, x, y, kind):
    losses = {"mse": lambda r: r * r, "huber": lambda r: np.where(np.abs(r) < 1.0, 0.5 * r * r, np.abs(r) - 0.5)}
    r = x @ w - y
    return np.mean(losses[kind](r)) + np.mean(LOSSES["mse"](r))


def dict_loop(x):
    table = {"b": relu, "a": np.tanh}
    out = 0.0
    for f in table:
        out = 2.0 * out + np.sum(table[f](x))  # (the order matters: the keys as Python gives them)
    for k, g in table.items():
        out = 3.0 * out + np.sum(g(x) ** 2)
    for k in sorted(table):
        out = 0.5 * out + np.sum(table[k](2.0 * x))
    for h in table.values():
        out = out + np.sum(h(x - 0.1))
    return out + sum(np.sum(LOSSES[k](x)) for k in LOSSES)  # (a module-level dict too)


def test_loops_over_a_dict_of_functions():
    x = np.array([0.5, -1.0, 0.3])
    check_grads(dict_loop, (x,))
    assert differentiate(dict_loop).value_and_grad(x)[0] == pytest.approx(dict_loop(x), rel=1e-13)


def test_a_dict_of_functions_picked_by_key():
    x = np.random.default_rng(1).standard_normal((6, 3))
    y = np.random.default_rng(2).standard_normal(6)
    w = np.array([0.5, -0.3, 0.8])
    for kind in ("mse", "huber"):
        check_grads(chosen, (w, x, y, kind), wrt="w")
    with pytest.raises(KeyError):
        differentiate(chosen, wrt="w").value_and_grad(w, x, y, "hinge")


def conditional(x, smooth):
    act = np.tanh if smooth else relu
    sharp = softplus if np.mean(x) > 0 else np.sin  # a test known only when it runs
    return np.sum(act(x)) + np.sum(sharp(x))


def test_a_choice_between_two_functions():
    for x in (np.array([0.3, 1.2, -0.4]), np.array([-0.3, -1.2, 0.4])):
        for smooth in (True, False):
            check_grads(conditional, (x, smooth), wrt="x")


def _message(fn, *args):
    with pytest.raises(S2SGradError) as err:
        differentiate(fn).value_and_grad(*args)
    return str(err.value)


def returned(x):
    act = relu
    return act


def changed(x):
    acts = [relu, np.tanh]
    acts.append(np.sin)
    return np.sum(acts[0](x))


def rebound(x):
    act = relu
    y = act(x)
    act = np.tanh
    return np.sum(act(y))


def loop_name_rebound(x):
    h = x
    for act in ACTS:
        h = act(h)
    for act in [h, h]:  # (the same name over arrays)
        h = h + act
    return np.sum(h)


def made_in_comprehension(x):
    return np.sum([lambda z, k=k: z * k for k in range(3)][0](x))  # (not bound to a name: not read)


@pytest.mark.parametrize("fn, words", [
    (returned, "the function 'act' used as a value"),
    (changed, "'relu' (function) used as a value"),
    (rebound, "'act' is bound to a function here and to another value elsewhere"),
    (made_in_comprehension, "a comprehension making functions is read when bound to a name"),
    (loop_name_rebound, "'act' is bound to a function and to another value"),
])
def test_a_function_as_a_run_time_value_is_refused_at_its_line(fn, words):
    msg = _message(fn, np.array([0.5, -1.0]))
    assert words in msg
    assert "test_function_values.py:" in msg and "^" in msg


def dense(x, W, act=np.tanh):
    return act(W @ x)


class Block:
    def __init__(self, W):
        self.W = W

    def run(self, f, x):
        return f(self.W @ x)

    def __call__(self, x):
        return self.run(np.sin, x) + self.run(relu, x)  # (self given first: the function is f)


def defaults_and_methods(W, x):
    h = dense(x, W)  # np.tanh, the default
    h = dense(h, W, act=np.sin) + dense(h, W, relu)
    return np.sum(Block(W)(h))


def test_a_function_as_a_default_and_passed_to_a_method():
    W = np.random.default_rng(5).standard_normal((3, 3))
    check_grads(defaults_and_methods, (W, np.array([0.3, -1.2, 0.8])), wrt=("W", "x"))


def huber(r, delta=1.0):
    a = np.abs(r)
    return np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)))


REGISTRY = {"mse": lambda r: np.mean(r ** 2), "huber": huber}
TERMS = ("mse", "huber")  # (a module-level tuple of names: unrolled like a list of them)


def registry_loss(w, X, y):
    r = X @ w - y
    total = 0.0
    for name in TERMS:
        if name == "huber":
            total = total + REGISTRY[name](r, delta=0.5)  # (mse takes no delta: that branch is never taken)
        else:
            total = total + REGISTRY[name](r)
    return total


def registry_by_argument(w, X, y, names):
    r = X @ w - y
    return sum(REGISTRY[n](r, delta=0.5) for n in names)


def test_an_entry_the_arguments_do_not_fit_raises_pythons_type_error_where_picked():
    rng = np.random.default_rng(2)
    X, y, w = rng.standard_normal((10, 3)), rng.standard_normal(10), np.array([0.1, 0.2, -0.3])
    check_grads(registry_loss, (w, X, y), wrt="w")
    d = differentiate(registry_by_argument, wrt="w")
    assert d.value_and_grad(w, X, y, ["huber"])[0] == pytest.approx(huber(X @ w - y, 0.5), rel=1e-14)
    with pytest.raises(TypeError, match="unexpected keyword argument 'delta'"):
        d.value_and_grad(w, X, y, ["huber", "mse"])
